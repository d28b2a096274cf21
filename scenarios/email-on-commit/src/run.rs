//! A variant's report: ann's and bob's sign-ups through one permutation, the same sign-up
//! inside a test that never commits, and the verdict - the messages the provider took and
//! what their deliveries found, against the users the database holds.

pub mod story;
pub mod test_case;
pub mod world;

use lab_kit::Report;
use serde_json::json;

use crate::model::{ANN, BOB, Welcome};
use crate::provider::Received;
use story::{ANSWER, DELIVER, How, Request, Story};

/// ann signs up (session `s1`), then bob, whose handle is taken (`s2`).
pub const SIGN_UPS: [Request; 2] = [
    Request {
        session: "s1",
        form: ANN,
        how: How::SignUp,
    },
    Request {
        session: "s2",
        form: BOB,
        how: How::SignUp,
    },
];

/// Each sign-up, then the provider delivers its oldest message before it answers the
/// request's call: a delivery that comes while the request still waits.
pub const PERMUTATION: &[&str] = &["s1_sign_up", DELIVER, ANSWER, "s2_sign_up", DELIVER, ANSWER];

/// What the provider did wrong by the users, judged against the database: the truth is
/// that a welcome mail is about an account that exists when it arrives, and every account
/// gets exactly one.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Messages whose delivery found no account (by recipient).
    pub found_nothing: Vec<String>,
    /// Messages about accounts the database does not hold at the end.
    pub to_missing_users: Vec<String>,
    /// Accounts the story created that did not get exactly one message.
    pub not_welcomed_once: Vec<String>,
}

impl Verdict {
    /// What a user saw, in a line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for to in &self.to_missing_users {
            parts.push(format!(
                "{to} got a welcome mail for an account that does not exist"
            ));
        }
        for to in self
            .found_nothing
            .iter()
            .filter(|t| !self.to_missing_users.contains(t))
        {
            parts.push(format!(
                "the link in {to}'s welcome mail found no account when it arrived"
            ));
        }
        for who in &self.not_welcomed_once {
            parts.push(format!("{who} did not get exactly one welcome mail"));
        }
        if parts.is_empty() {
            return "every new account got one welcome mail, delivered once the account was \
                    committed, and the sign-up that rolled back sent none"
                .to_owned();
        }
        parts.join("; ")
    }

    /// Whether any of it happened.
    pub fn pitfall(&self) -> bool {
        !(self.found_nothing.is_empty()
            && self.to_missing_users.is_empty()
            && self.not_welcomed_once.is_empty())
    }
}

/// Judges a story.
pub fn judge(story: &Story) -> Verdict {
    let exists = |id: i64| story.users.iter().any(|(u, _)| *u == id);
    let to = |m: &Received| m.to.clone();
    let inbox = &story.inbox;
    let created = story
        .users
        .iter()
        .filter(|(_, email)| story.responses.iter().any(|(who, _)| who == email));
    Verdict {
        found_nothing: inbox
            .iter()
            .filter(|m| m.found_on_delivery == Some(false))
            .map(to)
            .collect(),
        to_missing_users: inbox.iter().filter(|m| !exists(m.user)).map(to).collect(),
        not_welcomed_once: created
            .filter(|(id, _)| inbox.iter().filter(|m| m.user == *id).count() != 1)
            .map(|(_, email)| email.clone())
            .collect(),
    }
}

/// Both stories with `welcome` connected to `post_save`, as a report.
pub fn run(welcome: Welcome) -> lab_kit::Result<Report> {
    let story = story::tell(welcome, &SIGN_UPS, PERMUTATION)?;
    let verdict = judge(&story);
    let (test_case, test_transcript) = test_case::in_a_test_case(welcome)?;
    let waited: Vec<&str> = story
        .result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.as_str())
        .collect();
    let responses: serde_json::Map<String, serde_json::Value> = story
        .responses
        .iter()
        .map(|(who, status)| ((*who).to_owned(), json!(status)))
        .collect();
    let messages: Vec<_> = story
        .inbox
        .iter()
        .map(|m| json!({"to": m.to, "found_on_delivery": m.found_on_delivery}))
        .collect();
    let users: Vec<&str> = story
        .users
        .iter()
        .map(|(_, email)| email.as_str())
        .collect();
    let mut transcript = story.result.transcript.clone();
    transcript.push("db", format!("committed users: {}", users.join(", ")));
    transcript.extend(test_transcript);
    let sign_ups: Vec<_> = SIGN_UPS
        .iter()
        .map(|r| json!({"session": r.session, "form": r.form}))
        .collect();
    Ok(Report::new("", verdict.pitfall(), verdict.describe())
        // The story's input, so the Django twin replays exactly these sign-ups.
        .observe("sign_ups", sign_ups)
        .observe("permutation", PERMUTATION)
        .observe("responses", responses)
        .observe("users", &users)
        .observe("messages", messages)
        .observe("found_nothing_on_delivery", &verdict.found_nothing)
        .observe("mails_to_missing_users", &verdict.to_missing_users)
        .observe("users_not_welcomed_once", &verdict.not_welcomed_once)
        .observe("steps_that_waited", waited)
        .observe("test_case", test_case)
        .with_transcript(transcript))
}
