//! A variant's world (the seeded table, the app on loopback, the clock at [`START`]), the
//! story, and the verdict: what the links did to the rows, against what each subscriber
//! asked for.

use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use lab_kit::Report;
use serde::Serialize;
use serde_json::json;

use crate::app::{self, App};
use crate::attack::{self, Answer, Story};
use crate::model::{SCHEMA, SEED, START, Tokens};

/// One row of the table after the story.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Subscriber {
    pub email: String,
    pub confirmed: bool,
    pub subscribed: bool,
}

/// A fresh table with ann and bob confirmed and subscribed.
pub fn database() -> rusqlite::Result<rusqlite::Connection> {
    let conn = lab_kit::sqlite::memory()?;
    conn.execute_batch(SCHEMA)?;
    for email in SEED {
        conn.execute(
            "INSERT INTO newsletter_subscriber (email, confirmed, subscribed) VALUES (?1, 1, 1)",
            [email],
        )?;
    }
    Ok(conn)
}

/// Serves the app with `tokens`, tells the story, and reads the table back.
pub fn story(tokens: Tokens) -> lab_kit::Result<(Story, Vec<Subscriber>)> {
    let app = App {
        db: Arc::new(Mutex::new(database()?)),
        tokens,
        clock: Arc::new(AtomicU64::new(START)),
        outbox: Arc::default(),
    };
    let story = lab_kit::http::block_on(async {
        let server = lab_kit::http::serve(app::router(app.clone())).await?;
        let story = attack::tell(&app, &server.base_url()).await;
        server.shutdown().await?;
        story.map_err(lab_kit::Error::scenario)
    })??;
    let db = app.db.lock().expect("db");
    let mut stmt =
        db.prepare("SELECT email, confirmed, subscribed FROM newsletter_subscriber ORDER BY id")?;
    let rows = stmt.query_map([], |row| {
        Ok(Subscriber {
            email: row.get(0)?,
            confirmed: row.get(1)?,
            subscribed: row.get(2)?,
        })
    })?;
    let rows = rows.collect::<rusqlite::Result<_>>()?;
    Ok((story, rows))
}

/// The variant's report. The truth: ann never left, carol and erin never confirmed (nor
/// within two days); mallory did confirm, bob did leave.
pub fn run(tokens: Tokens) -> lab_kit::Result<Report> {
    let (story, rows) = story(tokens)?;
    let row = |email: &str| rows.iter().find(|r| r.email == email).cloned();
    let (ann, carol, erin) = (
        row("ann@example.com"),
        row("carol@example.com"),
        row("erin@example.com"),
    );
    let (mallory, bob) = (row("mallory@example.com"), row("bob@example.com"));
    let (Some(ann), Some(carol), Some(erin), Some(mallory), Some(bob)) =
        (ann, carol, erin, mallory, bob)
    else {
        return Err(lab_kit::Error::scenario(format!("rows missing: {rows:?}")));
    };
    if !mallory.confirmed || bob.subscribed {
        return Err(lab_kit::Error::scenario(format!(
            "a legitimate link failed: mallory's confirmation {}, bob's unsubscribe {}",
            story.own_confirm, story.own_unsubscribe
        )));
    }
    let attacks = [
        ("tampered_id", &story.tampered, !ann.subscribed),
        ("other_purpose", &story.other_purpose, carol.confirmed),
        ("expired", &story.expired, erin.confirmed),
    ];
    let worked: Vec<&str> = attacks.iter().filter(|a| a.2).map(|a| a.0).collect();
    let mut said = Vec::new();
    if !ann.subscribed {
        said.push("mallory's link with ann's id written in unsubscribed ann");
    }
    if carol.confirmed {
        said.push("an undo link taken to /confirm/ confirmed carol without her consent");
    }
    if erin.confirmed {
        said.push("a confirmation link two days past its limit still confirmed erin");
    }
    let symptom = if said.is_empty() {
        "a forged id, a link used for another purpose and an expired link are all refused \
         with 400; the table keeps what each subscriber asked for"
            .to_owned()
    } else {
        said.join("; ")
    };
    let mut transcript = story.transcript.clone();
    for r in &rows {
        transcript.push(
            "db",
            format!(
                "{}: confirmed {}, subscribed {}",
                r.email, r.confirmed, r.subscribed
            ),
        );
    }
    let facts: serde_json::Map<String, serde_json::Value> = attacks
        .iter()
        .map(|(name, answer, changed)| ((*name).to_owned(), attack_fact(answer, *changed)))
        .collect();
    Ok(Report::new("", !worked.is_empty(), symptom)
        .observe("mallory_link", &story.mallory_link)
        .observe("payload_readable", &story.payload_readable)
        .observe("attacks", facts)
        .observe(
            "legit_links",
            json!({"own_confirm": story.own_confirm.status,
                   "own_unsubscribe_after_3_days": story.own_unsubscribe.status}),
        )
        .observe("attacks_that_changed_a_row", worked)
        .observe("subscribers", &rows)
        .with_transcript(transcript))
}

/// An attack's fact: the status, how it was refused, whether the victim's row changed.
fn attack_fact(answer: &Answer, changed: bool) -> serde_json::Value {
    let refused = match answer.status {
        400 if answer.body.starts_with("signature age") => Some("expired"),
        400 => Some("bad signature"),
        _ => None,
    };
    json!({"status": answer.status, "refused_as": refused, "victim_row_changed": changed})
}
