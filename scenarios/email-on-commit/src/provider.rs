//! The mail provider: a real HTTP endpoint on loopback that records every message it gets
//! and holds its answer until a step of the story releases it, and its delivery, which
//! looks up the account a message is about through a database connection of its own - as
//! the recipient who follows the mail's link at once, or a delivery webhook, would.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use lab_kit::interleave::Gates;
use rusqlite::{Connection, OptionalExtension};
use serde::Serialize;

use crate::mail::Message;

/// One message the provider took, and what its delivery found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Received {
    pub to: String,
    pub subject: String,
    /// The account the message is about (the message's metadata).
    pub user: i64,
    /// Whether the account was there when the message was delivered; `None` until then.
    pub found_on_delivery: Option<bool>,
}

/// Every message the provider took, in order.
#[derive(Debug, Clone, Default)]
pub struct Inbox(Arc<Mutex<Vec<Received>>>);

impl Inbox {
    /// A copy of the messages so far.
    pub fn messages(&self) -> Vec<Received> {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Received>> {
        self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[derive(Debug, Clone)]
struct Provider {
    gates: Gates,
    inbox: Inbox,
}

/// `POST /messages`: takes a message (JSON), records it, and answers `202 Accepted` once
/// a step of the story lets it (at once, when `gates` are open).
pub fn router(gates: Gates, inbox: Inbox) -> Router {
    Router::new()
        .route("/messages", post(accept))
        .with_state(Provider { gates, inbox })
}

async fn accept(State(provider): State<Provider>, body: String) -> (StatusCode, String) {
    let message: Message = match serde_json::from_str(&body) {
        Ok(message) => message,
        Err(e) => return (StatusCode::BAD_REQUEST, e.to_string()),
    };
    let shown = format!(
        "POST /messages to {} {:?} (user {})",
        message.to, message.subject, message.user
    );
    let id = {
        let mut inbox = provider.inbox.lock();
        inbox.push(Received {
            to: message.to,
            subject: message.subject,
            user: message.user,
            found_on_delivery: None,
        });
        inbox.len()
    };
    provider
        .gates
        .hold("provider", shown)
        .await
        .answered("202 Accepted");
    (StatusCode::ACCEPTED, format!("{{\"id\": {id}}}"))
}

/// What a delivery step shows in the transcript.
pub const DELIVER_SQL: &str =
    "deliver the oldest message: SELECT id FROM accounts_user WHERE id = <its user>";

/// Delivers the oldest message not yet delivered: looks its account up on `conn`, the
/// provider's own connection, and records whether it was there.
pub fn deliver(conn: &Connection, inbox: &Inbox) -> rusqlite::Result<String> {
    let Some((index, user, to)) = inbox
        .lock()
        .iter()
        .enumerate()
        .find(|(_, m)| m.found_on_delivery.is_none())
        .map(|(i, m)| (i, m.user, m.to.clone()))
    else {
        return Ok("nothing to deliver".to_owned());
    };
    let sql = "SELECT id FROM accounts_user WHERE id = ?1";
    let found = conn
        .query_row(sql, [user], |row| row.get::<_, i64>(0))
        .optional()?
        .is_some();
    inbox.lock()[index].found_on_delivery = Some(found);
    Ok(match found {
        true => format!("delivered to {to}; user {user} found"),
        false => format!("delivered to {to}; no user {user} in the database"),
    })
}
