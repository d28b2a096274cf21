//! The property every fix must hold, over every order in which the provider can deliver a
//! message and answer the call that sent it: whoever is saved - by a sign-up that
//! commits, one that rolls back, or a shell in autocommit - every account that exists
//! gets one welcome mail, whose delivery finds the account, and no other mail goes out.

use serde::Serialize;

use crate::model::{ANN, BOB, DAN, Welcome};
use crate::run::judge;
use crate::run::story::{self, ANSWER, DELIVER, How, Request};

/// The three ways a user is saved, one request each.
pub const CASES: [Request; 3] = [
    Request {
        session: "s1",
        form: ANN,
        how: How::SignUp,
    },
    Request {
        session: "s1",
        form: BOB,
        how: How::SignUp,
    },
    Request {
        session: "s1",
        form: DAN,
        how: How::Shell,
    },
];

/// The request first, then the provider's delivery and its answer, in both orders.
pub fn schedules(request: &Request) -> [[String; 3]; 2] {
    let step = request.step();
    [
        [step.clone(), DELIVER.to_owned(), ANSWER.to_owned()],
        [step, ANSWER.to_owned(), DELIVER.to_owned()],
    ]
}

/// One case and schedule where the welcome went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub who: &'static str,
    pub schedule: Vec<String>,
    pub what: String,
}

/// Runs `welcome` through every case and schedule, each on a fresh world, and lists where
/// it went wrong. Exhaustive: three cases, two orders each.
pub fn every_schedule(welcome: Welcome) -> lab_kit::Result<Vec<Failure>> {
    let mut failures = Vec::new();
    for case in CASES {
        for schedule in schedules(&case) {
            let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
            let told = story::tell(welcome, &[case], &permutation)?;
            let what = if told.result.still_waiting().is_empty() {
                let verdict = judge(&told);
                verdict.pitfall().then(|| verdict.describe())
            } else {
                Some("the request still waited for the provider when the schedule ended".to_owned())
            };
            if let Some(what) = what {
                failures.push(Failure {
                    who: case.form.email,
                    schedule: schedule.to_vec(),
                    what,
                });
            }
        }
    }
    Ok(failures)
}

/// The property as a check: `Err` names the first case and schedule that went wrong.
pub fn welcomes_every_account_once_it_exists(welcome: Welcome) -> Result<(), String> {
    let failures = every_schedule(welcome).map_err(|e| lab_kit::error_chain(&e))?;
    match failures.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {} schedules went wrong, the first ({}; {}): {}",
            failures.len(),
            CASES.len() * 2,
            first.who,
            first.schedule.join(", "),
            first.what
        )),
    }
}
