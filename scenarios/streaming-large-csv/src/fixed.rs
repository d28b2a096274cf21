//! The fix: rows from a SQLite cursor, through the `csv` crate, into a streamed body in
//! chunks of 256 KiB, with backpressure; the reader stops when the client leaves.

use std::io::{self, Write};
use std::mem;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use crate::model::{CSV_HEADERS, CsvOut, Export, Record, SELECT_SQL};

/// Bytes gathered before a chunk is sent. Each chunk costs a channel send that wakes the
/// response's task, a body frame and a socket write; at 256 KiB that is some 600 chunks
/// for a 160 MB export (at 64 KiB the wake-ups cost the reader a few per cent), while the
/// chunks in flight - the channel's, one being filled, one being written - stay under
/// 2 MiB whatever the table's size.
const CHUNK_BYTES: usize = 256 * 1024;
/// A chunk's allocation: the csv crate hands over its 8 KiB buffer whole, so a chunk
/// overshoots [`CHUNK_BYTES`] by less than that and never reallocates.
const CHUNK_CAPACITY: usize = CHUNK_BYTES + 8 * 1024;
/// Chunks that may wait between the reader and the socket before the reader blocks.
const CHANNEL_CHUNKS: usize = 4;

type Chunks = mpsc::Sender<io::Result<Vec<u8>>>;

/// The streaming export: returns at once with a body fed by a reader thread.
pub fn export(export: Export) -> lab_kit::Result<Response> {
    // FIX: a bounded channel between the reader and the response body. When the socket
    // is slow the channel fills and the reader waits (backpressure); when the client goes
    // away the body is dropped, the next send fails and the reader stops.
    let (tx, mut rx) = mpsc::channel(CHANNEL_CHUNKS);
    std::thread::Builder::new()
        .name("csv-export".into())
        .spawn(move || read_rows(&export, &tx))?;
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok((CSV_HEADERS, Body::from_stream(stream)).into_response())
}

/// The reader thread: the cursor, the CSV writer and the chunk sink live and die here.
fn read_rows(export: &Export, tx: &Chunks) {
    let complete = match stream_rows(export, tx) {
        Ok(complete) => complete,
        Err(error) => {
            // Too late for a 500: the status line is gone. An error item aborts the body,
            // so the client sees a broken transfer instead of a short file that looks
            // whole.
            let _ = tx.blocking_send(Err(io::Error::other(lab_kit::error_chain(&error))));
            false
        }
    };
    // The statement and the connection were dropped when stream_rows returned.
    export.progress.finish(complete);
}

/// Streams every row; `Ok(false)` when the client went away first.
fn stream_rows(export: &Export, tx: &Chunks) -> lab_kit::Result<bool> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    // FIX: a cursor, not a list: one row in memory at a time (Django's
    // `queryset.iterator(chunk_size=...)`, which skips the result cache).
    let mut rows = stmt.query([])?;
    let mut csv = CsvOut::new(ChunkSink::new(tx.clone()))?;
    let written = (|| -> lab_kit::Result<()> {
        while let Some(row) = rows.next()? {
            export.progress.row_read();
            csv.write(&Record::from_row(row)?)?;
        }
        Ok(csv.flush()?)
    })();
    match written {
        Ok(()) => Ok(true),
        Err(_) if csv.get_ref().gone => Ok(false),
        Err(error) => Err(error),
    }
}

/// An `io::Write` that gathers bytes and sends them through the channel in chunks of at
/// least [`CHUNK_BYTES`]. A failed send (the body was dropped) is an error from then on.
#[derive(Debug)]
struct ChunkSink {
    tx: Chunks,
    buf: Vec<u8>,
    gone: bool,
}

impl ChunkSink {
    fn new(tx: Chunks) -> Self {
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
