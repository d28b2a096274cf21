//! The site: an axum app whose views open a SQLite connection per request, as Django does
//! with `CONN_MAX_AGE = 0`, wait for a lock up to the connection's busy timeout (Django's
//! `timeout`, 5 s by default), and answer 500 with SQLite's words when it runs out.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::{get, post};
use rusqlite::Connection;

use crate::model::TODAY;

/// Where the site's database is and how long its views wait for a lock.
#[derive(Debug, Clone)]
pub struct Site {
    pub db: PathBuf,
    pub busy_timeout: Duration,
}

/// `POST /events` records a page view (a write); `GET /events/today` counts today's
/// (a read).
pub fn router(site: Site) -> Router {
    Router::new()
        .route("/events", post(record))
        .route("/events/today", get(today))
        .with_state(Arc::new(site))
}

/// What the write sends.
pub const INSERT: &str = "INSERT INTO log_event (day, payload) VALUES (?1, 'page view')";
/// What the read sends.
pub const COUNT: &str = "SELECT count(*) FROM log_event WHERE day = ?1";

async fn record(State(site): State<Arc<Site>>) -> (StatusCode, String) {
    let work = move || {
        let conn = site.connect()?;
        conn.execute(INSERT, [TODAY])?;
        Ok(format!("event {}", conn.last_insert_rowid()))
    };
    answer(StatusCode::CREATED, tokio::task::spawn_blocking(work).await)
}

async fn today(State(site): State<Arc<Site>>) -> (StatusCode, String) {
    let work = move || {
        let conn = site.connect()?;
        let n: i64 = conn.query_row(COUNT, [TODAY], |r| r.get(0))?;
        Ok(format!("{n} today"))
    };
    answer(StatusCode::OK, tokio::task::spawn_blocking(work).await)
}

impl Site {
    fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open(&self.db)?;
        conn.busy_timeout(self.busy_timeout)?;
        Ok(conn)
    }
}

/// The view's answer: its text with `ok`, or a 500 with the database's error, as Django's
/// server error page would have it.
fn answer(
    ok: StatusCode,
    result: Result<rusqlite::Result<String>, tokio::task::JoinError>,
) -> (StatusCode, String) {
    match result {
        Ok(Ok(text)) => (ok, text),
        Ok(Err(e)) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        Err(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
    }
}
