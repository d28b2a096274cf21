//! The fix: rows from a SQLite cursor, each object serialised by serde_json into chunks
//! of 256 KiB of one JSON array, sent into a streamed body with backpressure; the reader
//! stops when the client leaves.

use std::io;
use std::mem;

use axum::body::Body;
use axum::response::{IntoResponse, Response};
use tokio::sync::mpsc;

use crate::model::{Export, JSON_HEADERS, Record, SELECT_SQL, json_dump};

/// Bytes gathered before a chunk is sent. Each chunk costs a channel send that wakes the
/// response's task, a body frame and a socket write; at 256 KiB that is some 1,300 chunks
/// for a 330 MB export, while the chunks in flight - the channel's, one being filled, one
/// being written - stay under 2 MiB whatever the table's size.
const CHUNK_BYTES: usize = 256 * 1024;
/// A chunk's allocation: it is sent once it passes [`CHUNK_BYTES`], so it overshoots by
/// less than one object, which this margin covers unless a note is very long.
const CHUNK_CAPACITY: usize = CHUNK_BYTES + 4 * 1024;
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
        .name("json-export".into())
        .spawn(move || read_rows(&export, &tx))?;
    let stream = futures_util::stream::poll_fn(move |cx| rx.poll_recv(cx));
    Ok((JSON_HEADERS, Body::from_stream(stream)).into_response())
}

/// The reader thread: the cursor and the chunk being filled live and die here.
fn read_rows(export: &Export, tx: &Chunks) {
    let complete = match stream_rows(export, tx) {
        Ok(complete) => complete,
        Err(error) => {
            // Too late for a 500: the status line is gone. An error item aborts the body,
            // so the client sees a broken transfer instead of a short array that parses.
            let _ = tx.blocking_send(Err(io::Error::other(lab_kit::error_chain(&error))));
            false
        }
    };
    // The statement and the connection were dropped when stream_rows returned.
    export.progress.finish(complete);
}

/// Streams every row as one JSON array; `Ok(false)` when the client went away first.
fn stream_rows(export: &Export, tx: &Chunks) -> lab_kit::Result<bool> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    // FIX: a cursor, not a list: one row in memory at a time (Django's
    // `queryset.values().iterator(chunk_size=...)`, which skips the result cache).
    let mut rows = stmt.query([])?;
    let mut out = Chunk::new(tx.clone());
    // FIX: the array is written in pieces, byte for byte what `json.dumps` writes whole:
    // `[`, each object with `, ` before all but the first, `]`.
    out.buf.push(b'[');
    let mut first = true;
    while let Some(row) = rows.next()? {
        export.progress.row_read();
        if !first {
            out.buf.extend_from_slice(b", ");
        }
        first = false;
        json_dump(&Record::from_row(row)?, &mut out.buf)?;
        // FIX: a full chunk goes out now (waiting while the channel is full); a failed
        // send means the client left: stop reading.
        if out.full() && !out.send() {
            return Ok(false);
        }
    }
    out.buf.push(b']');
    Ok(out.send())
}

/// The chunk being filled, and the channel it goes into once full.
#[derive(Debug)]
struct Chunk {
    tx: Chunks,
    buf: Vec<u8>,
}

impl Chunk {
    fn new(tx: Chunks) -> Self {
        Self {
            tx,
            buf: Vec::with_capacity(CHUNK_CAPACITY),
        }
    }

    /// Whether the chunk has reached [`CHUNK_BYTES`] and should go out.
    fn full(&self) -> bool {
        self.buf.len() >= CHUNK_BYTES
    }

    /// Sends the gathered bytes; false once the body was dropped.
    fn send(&mut self) -> bool {
        let chunk = mem::replace(&mut self.buf, Vec::with_capacity(CHUNK_CAPACITY));
        // Blocks while the channel is full: this wait is the backpressure.
        self.tx.blocking_send(Ok(chunk)).is_ok()
    }
}
