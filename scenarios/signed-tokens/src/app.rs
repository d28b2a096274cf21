//! The newsletter app on loopback: a sign-up form, the confirmation and unsubscribe links
//! it mails, and the views that act on them against the SQLite table.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::routing::{get, post};
use rusqlite::Connection;

use crate::model::{
    CONFIRM, CONFIRM_MAX_AGE, SECRET_KEY, Tokens, UNSUBSCRIBE, UNSUBSCRIBE_MAX_AGE, payload,
};

/// A mail the app sent: to whom, and the link in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub link: String,
}

/// What the views share: the database, the token functions, the clock and the outbox.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Arc<Mutex<Connection>>,
    pub tokens: Tokens,
    /// The injected clock, in Unix seconds: the story moves it, nothing reads wall time.
    pub clock: Arc<AtomicU64>,
    /// Every mail sent, in order: each recipient reads only their own.
    pub outbox: Arc<Mutex<Vec<Mail>>>,
}

/// A view's answer: a status and a one-line body.
type Answer = (StatusCode, String);

impl App {
    fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    fn link(&self, path: &str, salt: &str, id: i64) -> String {
        let token = (self.tokens.dumps)(SECRET_KEY, salt, &payload(id), self.now());
        format!("/{path}/{token}")
    }

    fn mail(&self, to: &str, link: String) {
        let mail = Mail {
            to: to.to_owned(),
            link,
        };
        self.outbox.lock().expect("outbox").push(mail);
    }

    /// Reads the subscriber id out of `token` for `salt`, or the 400 a bad link gets.
    fn id(&self, salt: &str, token: &str, max_age: u64) -> Result<i64, Answer> {
        let value = (self.tokens.loads)(SECRET_KEY, salt, token, Some(max_age), self.now())
            .map_err(|e| (StatusCode::BAD_REQUEST, e.to_string()))?;
        value["id"]
            .as_i64()
            .ok_or_else(|| (StatusCode::BAD_REQUEST, format!("no id in {value}")))
    }

    /// Runs `sql` on subscriber `id`: 200 if a row changed, 404 if there is none.
    fn update(&self, sql: &str, id: i64, done: &str) -> Answer {
        let db = self.db.lock().expect("db");
        match db.execute(sql, [id]) {
            Ok(0) => (StatusCode::NOT_FOUND, format!("no subscriber {id}")),
            Ok(_) => (StatusCode::OK, format!("subscriber {id} {done}")),
            Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
    }
}

/// The app's routes.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/subscribe", post(subscribe))
        .route("/confirm/{token}", get(confirm))
        .route("/unsubscribe/{token}", get(unsubscribe))
        .route("/newsletter", post(newsletter))
        .with_state(app)
}

/// The sign-up form (the body is the address): a pending row, a confirmation link mailed
/// to the address, and on the page an "undo" link - an unsubscribe link for the new row.
async fn subscribe(State(app): State<App>, email: String) -> Answer {
    let inserted = {
        let db = app.db.lock().expect("db");
        db.execute(
            "INSERT INTO newsletter_subscriber (email, confirmed, subscribed) VALUES (?1, 0, 1)",
            [&email],
        )
        .map(|_| db.last_insert_rowid())
    };
    match inserted {
        Ok(id) => {
            app.mail(&email, app.link("confirm", CONFIRM, id));
            (
                StatusCode::CREATED,
                app.link("unsubscribe", UNSUBSCRIBE, id),
            )
        }
        Err(e) => (StatusCode::CONFLICT, e.to_string()),
    }
}

/// The link in the confirmation mail: double opt-in.
async fn confirm(State(app): State<App>, Path(token): Path<String>) -> Answer {
    match app.id(CONFIRM, &token, CONFIRM_MAX_AGE) {
        Ok(id) => app.update(
            "UPDATE newsletter_subscriber SET confirmed = 1 WHERE id = ?1",
            id,
            "confirmed",
        ),
        Err(answer) => answer,
    }
}

/// The link at the foot of every newsletter and on the sign-up page.
async fn unsubscribe(State(app): State<App>, Path(token): Path<String>) -> Answer {
    match app.id(UNSUBSCRIBE, &token, UNSUBSCRIBE_MAX_AGE) {
        Ok(id) => app.update(
            "UPDATE newsletter_subscriber SET subscribed = 0 WHERE id = ?1",
            id,
            "unsubscribed",
        ),
        Err(answer) => answer,
    }
}

/// Sends an issue to every confirmed subscriber, each with their own unsubscribe link.
async fn newsletter(State(app): State<App>) -> Answer {
    let readers = {
        let db = app.db.lock().expect("db");
        db.prepare(
            "SELECT id, email FROM newsletter_subscriber \
             WHERE confirmed = 1 AND subscribed = 1 ORDER BY id",
        )
        .and_then(|mut stmt| {
            stmt.query_map([], |row| {
                Ok((row.get::<_, i64>(0)?, row.get::<_, String>(1)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()
        })
    };
    match readers {
        Ok(readers) => {
            for (id, email) in &readers {
                app.mail(email, app.link("unsubscribe", UNSUBSCRIBE, *id));
            }
            (
                StatusCode::OK,
                format!("sent to {} subscribers", readers.len()),
            )
        }
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
