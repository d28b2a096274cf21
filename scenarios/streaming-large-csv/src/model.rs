//! What every variant shares: the view's signature, the request context and its counters,
//! the query, and the CSV format (Django's `csv.writer`: RFC 4180, `\r\n` line ends).

pub mod seed;
pub mod truth;

use std::io::{self, Write};

use axum::http::header::{CONTENT_DISPOSITION, CONTENT_TYPE, HeaderName};
use axum::response::Response;
use rusqlite::Row;

pub use lab_kit::stream::{Export, Progress, ReaderEnd};
pub use seed::{Customer, Generator, SEED};

/// One way of answering `GET /export.csv`: the body of the view. It runs on a blocking
/// thread (a sync Django view on its worker) and returns the response to send; every
/// variant and every candidate fix has this signature. [`Export`] is the request: the
/// database file and the counters the lab reads (`lab_kit::stream`).
pub type ExportFn = fn(Export) -> lab_kit::Result<Response>;

/// The export's route.
pub const PATH: &str = "/export.csv";

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
