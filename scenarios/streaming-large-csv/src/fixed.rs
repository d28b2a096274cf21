//! The fix: rows from a SQLite cursor, through the `csv` crate, into a streamed body in
//! chunks of about 64 KiB, with backpressure; formula-looking cells neutralised.

use std::borrow::Cow;
use std::io::{self, Write};
use std::mem;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use rusqlite::Row;
use tokio::sync::mpsc;

use crate::{COLUMNS, Export, SELECT_SQL, csv_headers, format_amount};

/// Bytes gathered before a chunk is sent: large enough that per-chunk costs (a channel
/// send, a body frame, a socket write) vanish, small enough that memory stays flat.
pub const CHUNK_BYTES: usize = 64 * 1024;
/// A chunk's allocation: one chunk plus the csv crate's 8 KiB buffer that may spill over
/// it, kept under glibc's 128 KiB mmap threshold so chunks come from the heap, not from a
/// fresh mapping (and its page faults) each time.
const CHUNK_CAPACITY: usize = CHUNK_BYTES + 16 * 1024;
/// Chunks that may wait between the reader and the socket before the reader blocks.
pub const CHANNEL_CHUNKS: usize = 4;

/// The streaming export: returns at once with a body fed by a reader thread.
pub fn export(export: Export) -> lab_kit::Result<Response> {
    // FIX: a bounded channel between the reader and the response body. When the socket
    // is slow the channel fills and the reader waits (backpressure); when the client goes
    // away the body is dropped, the next send fails and the reader stops.
    let (tx, mut rx) = mpsc::channel::<io::Result<Vec<u8>>>(CHANNEL_CHUNKS);
    std::thread::Builder::new()
        .name("csv-export".into())
        .spawn(move || read_rows(&export, &tx))?;
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok((csv_headers(), Body::from_stream(stream)).into_response())
}

/// The reader thread: the cursor, the CSV writer and the chunk sink live and die here.
fn read_rows(export: &Export, tx: &mpsc::Sender<io::Result<Vec<u8>>>) {
    let complete = match stream_rows(export, tx) {
        Ok(complete) => complete,
        Err(error) => {
            // Too late for a 500: the status line is gone. An error item aborts the body,
            // so the client sees a broken transfer instead of a short file that looks
            // whole.
            let _ = tx.blocking_send(Err(io::Error::other(error.to_string())));
            false
        }
    };
    // The statement and the connection were dropped when stream_rows returned.
    export.progress.finish(complete);
}

/// Streams every row; `Ok(false)` when the client went away first.
fn stream_rows(export: &Export, tx: &mpsc::Sender<io::Result<Vec<u8>>>) -> lab_kit::Result<bool> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    // FIX: a cursor, not a list: one row in memory at a time (Django's
    // `queryset.iterator(chunk_size=...)`, which skips the result cache).
    let mut rows = stmt.query([])?;
    let mut csv = csv::Writer::from_writer(ChunkSink::new(tx.clone()));
    let mut scratch = Scratch::default();
    let outcome = (|| -> csv::Result<()> {
        csv.write_record(COLUMNS)?;
        while let Some(row) = rows.next().map_err(io::Error::other)? {
            export.progress.row_read();
            write_row(&mut csv, row, &mut scratch)?;
        }
        csv.flush()?;
        Ok(())
    })();
    match outcome {
        Ok(()) => Ok(true),
        Err(_) if csv.get_ref().gone => Ok(false),
        Err(error) => Err(io::Error::from(error).into()),
    }
}

/// Reused buffers for the two cells the export formats itself.
#[derive(Debug, Default)]
pub struct Scratch {
    id: String,
    amount: String,
}

/// Writes one row of [`SELECT_SQL`] as a CSV record, guarding the free-text cells.
/// Quoting and escaping are the `csv` crate's.
pub fn write_row<W: Write>(
    csv: &mut csv::Writer<W>,
    row: &Row<'_>,
    scratch: &mut Scratch,
) -> csv::Result<()> {
    use std::fmt::Write as _;
    let id: i64 = row.get(0).map_err(io::Error::other)?;
    let cents: i64 = row.get(3).map_err(io::Error::other)?;
    scratch.id.clear();
    write!(scratch.id, "{id}").expect("writing to a String succeeds");
    format_amount(cents, &mut scratch.amount);
    csv.write_field(&scratch.id)?;
    csv.write_field(guard(text(row, 1)?).as_ref())?;
    csv.write_field(guard(text(row, 2)?).as_ref())?;
    csv.write_field(&scratch.amount)?;
    csv.write_field(text(row, 4)?)?;
    csv.write_record(None::<&[u8]>)
}

/// A text column of the row, borrowed from SQLite's buffer (no copy per cell).
fn text<'r>(row: &'r Row<'_>, index: usize) -> csv::Result<&'r str> {
    let value = row.get_ref(index).map_err(io::Error::other)?;
    Ok(value.as_str().map_err(io::Error::other)?)
}

/// Whether a spreadsheet would treat a cell starting this way as a formula (OWASP's list:
/// `=`, `+`, `-`, `@`, tab, carriage return).
pub fn looks_like_formula(cell: &str) -> bool {
    cell.starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// OWASP's CSV injection defence: a formula-looking cell gets a leading single quote, so
/// a spreadsheet shows it as text instead of running it. The `csv` crate then quotes the
/// cell if it needs quoting.
pub fn guard(cell: &str) -> Cow<'_, str> {
    if looks_like_formula(cell) {
        // FIX: the cell is neutralised; the data is kept, one quote longer.
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An `io::Write` that gathers bytes and sends them through the channel in chunks of at
/// least [`CHUNK_BYTES`]. A failed send (the body was dropped) is an error from then on.
#[derive(Debug)]
struct ChunkSink {
    tx: mpsc::Sender<io::Result<Vec<u8>>>,
    buf: Vec<u8>,
    gone: bool,
}

impl ChunkSink {
    fn new(tx: mpsc::Sender<io::Result<Vec<u8>>>) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(CHUNK_CAPACITY),
            gone: false,
        }
    }

    fn send(&mut self) -> io::Result<()> {
        if self.gone {
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        if self.buf.is_empty() {
            return Ok(());
        }
        let chunk = mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_CAPACITY));
        // Blocks while the channel is full: this wait is the backpressure.
        if self.tx.blocking_send(Ok(chunk)).is_err() {
            self.gone = true;
            return Err(io::ErrorKind::BrokenPipe.into());
        }
        Ok(())
    }
}

impl Write for ChunkSink {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= CHUNK_BYTES {
            self.send()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.send()
    }
}
