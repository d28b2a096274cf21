//! What every variant shares: the view's signature, the request context and its counters,
//! the query, and the CSV format (Django's `csv.writer`: RFC 4180, `\r\n` line ends).

pub mod seed;
pub mod truth;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderName};
use axum::response::Response;
use rusqlite::{Connection, OpenFlags, Row};

pub use seed::{Customer, Generator, SEED};

/// One way of answering `GET /export.csv`: the body of the view. It runs on a blocking
/// thread (a sync Django view on its worker) and returns the response to send; every
/// variant and every candidate fix has this signature.
pub type ExportFn = fn(Export) -> lab_kit::Result<Response>;

/// The header row and the column order of the export.
pub const COLUMNS: [&str; 5] = ["id", "name", "email", "amount", "created_at"];

/// What `Customer.objects.order_by("id")` asks SQLite.
pub const SELECT_SQL: &str =
    "SELECT id, name, email, amount_cents, created_at FROM shop_customer ORDER BY id";

/// The `Content-Type` and `Content-Disposition` Django's CSV recipe sets.
pub const CSV_HEADERS: [(HeaderName, &str); 2] = [
    (CONTENT_TYPE, "text/csv; charset=utf-8"),
    (CONTENT_DISPOSITION, "attachment; filename=\"export.csv\""),
];

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
/// the first body byte left the view, and how the reader ended (set once the statement
/// and the connection are dropped).
#[derive(Debug, Default)]
pub struct Progress {
    rows_read: AtomicU64,
    first_byte_rows: Mutex<Option<u64>>,
    end: Mutex<Option<ReaderEnd>>,
    ended: Condvar,
}

impl Progress {
    /// Fresh counters for one request.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// One more row came out of the cursor. Only the request's reader counts, so a load
    /// and a store do: no locked read-modify-write on every row of the hot loop.
    pub fn row_read(&self) {
        let rows = self.rows_read.load(Ordering::Relaxed);
        self.rows_read.store(rows + 1, Ordering::Relaxed);
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
        let mut end = self.end.lock().unwrap_or_else(PoisonError::into_inner);
        if end.is_none() {
            *end = Some(ReaderEnd {
                rows_read: self.rows_read(),
                complete,
            });
            self.ended.notify_all();
        }
    }

    /// How the reader ended, waiting up to `timeout` for it: a guard against a hang, never
    /// a way to order steps.
    pub fn wait_for_end(&self, timeout: Duration) -> Option<ReaderEnd> {
        let end = self.end.lock().unwrap_or_else(PoisonError::into_inner);
        let (end, _) = self
            .ended
            .wait_timeout_while(end, timeout, |end| end.is_none())
            .unwrap_or_else(PoisonError::into_inner);
        *end
    }

    /// Records the rows read so far as the moment of the first body byte (the app's body
    /// wrapper calls it); only the first call counts.
    pub(crate) fn first_byte_left(&self) {
        let mut slot = self
            .first_byte_rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(self.rows_read());
    }
}

/// One row as the export writes it, borrowed: from a [`Customer`] in memory or straight
/// from a cursor's current row, without a copy.
#[derive(Debug, Clone, Copy)]
pub struct Record<'a> {
    pub id: i64,
    pub name: &'a str,
    pub email: &'a str,
    pub amount_cents: i64,
    pub created_at: &'a str,
}

impl<'a> Record<'a> {
    /// The current row of [`SELECT_SQL`], its text borrowed from SQLite's buffers.
    pub fn from_row(row: &'a Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: text(row, 1)?,
            email: text(row, 2)?,
            amount_cents: row.get(3)?,
            created_at: text(row, 4)?,
        })
    }
}

/// A text column of the current row, borrowed from SQLite's buffer.
fn text<'a>(row: &'a Row<'_>, index: usize) -> rusqlite::Result<&'a str> {
    Ok(row.get_ref(index)?.as_str()?)
}

/// The export's CSV writer: the header row first, then one record per row, quoting and
/// escaping by the `csv` crate, every record ended by `\r\n` as Python's `csv.writer`
/// does by default (RFC 4180).
#[derive(Debug)]
pub struct CsvOut<W: Write> {
    csv: csv::Writer<W>,
    id: String,
    amount: String,
}

impl<W: Write> CsvOut<W> {
    /// A writer into `out` that has written the header row.
    pub fn new(out: W) -> io::Result<Self> {
        let csv = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        let mut this = Self {
            csv,
            id: String::new(),
            amount: String::new(),
        };
        this.csv.write_record(COLUMNS)?;
        Ok(this)
    }

    /// Writes one record; the two numbers are formatted into reused buffers.
    pub fn write(&mut self, record: &Record<'_>) -> io::Result<()> {
        use std::fmt::Write as _;
        self.id.clear();
        write!(self.id, "{}", record.id).expect("writing to a String succeeds");
        format_amount(record.amount_cents, &mut self.amount);
        let cells = [
            self.id.as_str(),
            record.name,
            record.email,
            &self.amount,
            record.created_at,
        ];
        Ok(self.csv.write_record(cells)?)
    }

    /// Hands the buffered bytes to the underlying writer.
    pub fn flush(&mut self) -> io::Result<()> {
        self.csv.flush()
    }

    /// The underlying writer.
    pub fn get_ref(&self) -> &W {
        self.csv.get_ref()
    }

    /// Flushes and returns the underlying writer.
    pub fn into_inner(self) -> io::Result<W> {
        self.csv.into_inner().map_err(|e| e.into_error())
    }
}

/// An amount in cents as the export prints it: `1234.50`, `-12.05`.
pub fn format_amount(cents: i64, out: &mut String) {
    use std::fmt::Write;
    out.clear();
    let sign = if cents < 0 { "-" } else { "" };
    let abs = cents.unsigned_abs();
    write!(out, "{sign}{}.{:02}", abs / 100, abs % 100).expect("writing to a String succeeds");
}
