//! A CSV export that builds the whole file in memory before answering: the heap grows with
//! the table and the first byte leaves only after the last row was read. The fix streams
//! rows from a SQLite cursor through the `csv` crate in chunks, with backpressure.
//!
//! Run with:
//! - `cargo test -p streaming-large-csv`
//! - `cargo run -- run streaming-large-csv`
//! - `cargo run --release -- bench streaming-large-csv`

pub mod bench;
pub mod broken;
pub mod data;
pub mod fixed;
pub mod observe;
mod property;
pub mod reference;

use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, PoisonError, mpsc};

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::http::header::CONTENT_LENGTH;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;
use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};
use rusqlite::{Connection, OpenFlags};

pub use property::export_is_faithful;

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "streaming-large-csv",
    title: "A CSV export built in memory vs one streamed from a cursor",
    question: "How do you serve a CSV export far larger than a few megabytes without running out of memory?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Performance, Tag::Security],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || observe::run_variant("broken", broken::export),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || observe::run_variant("fixed", fixed::export),
        },
    ],
    bench: Some(bench::run),
};

/// One way of answering `GET /export.csv`: the body of the view. It runs on a blocking
/// thread (a sync Django view on its worker) and returns the response to send; every
/// variant and every candidate fix has this signature.
pub type ExportFn = fn(Export) -> lab_kit::Result<Response>;

/// The header row and the column order of the export.
pub const COLUMNS: [&str; 5] = ["id", "name", "email", "amount", "created_at"];

/// What `Customer.objects.order_by("id")` asks SQLite.
pub const SELECT_SQL: &str =
    "SELECT id, name, email, amount_cents, created_at FROM shop_customer ORDER BY id";

/// What a request to the export gets to work with: the database file and the counters
/// the lab reads to tell what happened.
#[derive(Debug, Clone)]
pub struct Export {
    pub db: PathBuf,
    pub progress: Arc<Progress>,
}

impl Export {
    /// A read-only connection of its own, as each Django worker holds one.
    pub fn connect(&self) -> rusqlite::Result<Connection> {
        Connection::open_with_flags(
            &self.db,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
    }
}

/// How a request's reading of rows ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReaderEnd {
    /// Rows taken from the cursor.
    pub rows_read: u64,
    /// Whether the cursor was exhausted (false: the reader stopped early).
    pub complete: bool,
}

/// Counters one request updates: rows read from the cursor, how many had been read when
/// the first body byte left the view, and the reader's end (sent once the statement and
/// the connection are dropped).
#[derive(Debug)]
pub struct Progress {
    rows_read: AtomicU64,
    first_byte_rows: Mutex<Option<u64>>,
    ended: Mutex<Option<mpsc::Sender<ReaderEnd>>>,
}

impl Progress {
    /// Fresh counters, and the receiver that hears how the reader ended.
    pub fn new() -> (Arc<Self>, mpsc::Receiver<ReaderEnd>) {
        let (tx, rx) = mpsc::channel();
        let progress = Self {
            rows_read: AtomicU64::new(0),
            first_byte_rows: Mutex::new(None),
            ended: Mutex::new(Some(tx)),
        };
        (Arc::new(progress), rx)
    }

    /// One more row came out of the cursor.
    pub fn row_read(&self) {
        self.rows_read.fetch_add(1, Ordering::Relaxed);
    }

    /// Rows taken from the cursor so far.
    pub fn rows_read(&self) -> u64 {
        self.rows_read.load(Ordering::Relaxed)
    }

    /// Rows that had been read when the first body byte left the view, once it did.
    pub fn rows_read_at_first_byte(&self) -> Option<u64> {
        *self
            .first_byte_rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Reports the reader's end; call it after the statement and connection are dropped.
    /// Only the first call counts.
    pub fn finish(&self, complete: bool) {
        let sender = self
            .ended
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        if let Some(sender) = sender {
            // Nobody listening (a bench run that does not wait) is fine.
            let _ = sender.send(ReaderEnd {
                rows_read: self.rows_read(),
                complete,
            });
        }
    }

    fn first_byte_left(&self) {
        let mut slot = self
            .first_byte_rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(self.rows_read());
    }
}

/// The app: `GET /export.csv` answered by `export` on a blocking thread. The response body
/// is observed on its way out (the same wrapper for every variant): the rows read when its
/// first byte leaves are recorded.
pub fn router(export: ExportFn, context: Export) -> Router {
    Router::new().route(
        "/export.csv",
        get(move || {
            let context = context.clone();
            async move {
                let progress = Arc::clone(&context.progress);
                match tokio::task::spawn_blocking(move || export(context)).await {
                    Ok(Ok(response)) => observe_first_byte(response, progress),
                    Ok(Err(error)) => (
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        error.to_string(),
                    )
                        .into_response(),
                    Err(panic) => (
                        axum::http::StatusCode::INTERNAL_SERVER_ERROR,
                        format!("the export panicked: {panic}"),
                    )
                        .into_response(),
                }
            }
        }),
    )
}

/// Re-wraps the body so the first non-empty data frame records the rows read at that
/// moment. A body of known size keeps its `Content-Length`.
fn observe_first_byte(response: Response, progress: Arc<Progress>) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(length) = HttpBody::size_hint(&body).exact() {
        parts.headers.insert(CONTENT_LENGTH, length.into());
    }
    let mut seen = false;
    let stream = body.into_data_stream().inspect(move |frame| {
        if !seen && frame.as_ref().is_ok_and(|bytes| !bytes.is_empty()) {
            seen = true;
            progress.first_byte_left();
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}

/// The `Content-Type` and `Content-Disposition` Django's CSV recipe sets.
pub fn csv_headers() -> [(axum::http::HeaderName, &'static str); 2] {
    [
        (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
        (
            axum::http::header::CONTENT_DISPOSITION,
            "attachment; filename=\"export.csv\"",
        ),
    ]
}

/// An amount in cents as the export prints it: `1234.50`, `-12.05`.
pub fn format_amount(cents: i64, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    write!(out, "{sign}{}.{:02}", abs / 100, abs % 100).expect("writing to a String succeeds");
}
