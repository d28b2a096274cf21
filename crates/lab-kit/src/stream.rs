//! Downloads of a SQLite table over loopback HTTP, measured from outside the view: the
//! request context a view gets (a read-only database file and the counters its reader
//! updates), a body fingerprint that needs no buffer, the app that serves a view and
//! notes when its first body byte left ([`app`]), the report of a view at two table sizes
//! ([`story`]), the checks an export is graded by ([`check`]) and the benchmark harness
//! ([`bench`]). How a view produces its body is the scenario's business: nothing here
//! writes one.

pub mod app;
pub mod bench;
pub mod check;
pub mod story;

use std::io::{self, Write};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::Duration;

use axum::response::Response;
use rusqlite::{Connection, OpenFlags};

/// A view over a table: it runs on a blocking thread (a sync Django view on its worker)
/// and returns the response to send.
pub type ViewFn = fn(Export) -> crate::Result<Response>;

/// What a request to an export gets to work with: the database file and the counters the
/// lab reads to tell what happened.
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
    /// and a store do: no locked atomic increment on every row of the hot loop.
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

    /// Records the rows read so far as the moment of the first body byte ([`app`]'s body
    /// wrapper calls it); only the first call counts.
    pub(crate) fn first_byte_left(&self) {
        let mut slot = self
            .first_byte_rows
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        slot.get_or_insert(self.rows_read());
    }
}

/// FNV-1a (64 bit) and a byte count over a stream of bytes: a body's fingerprint that
/// needs no buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checksum {
    pub bytes: u64,
    hash: u64,
}

impl Default for Checksum {
    fn default() -> Self {
        Self {
            bytes: 0,
            hash: 0xcbf2_9ce4_8422_2325,
        }
    }
}

impl Checksum {
    /// Adds `bytes` to the fingerprint.
    pub fn update(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.hash = (self.hash ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.bytes += bytes.len() as u64;
    }

    /// `fnv1a64:<hex>`.
    pub fn label(&self) -> String {
        format!("fnv1a64:{:016x}", self.hash)
    }
}

impl Write for Checksum {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.update(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// A bound on waiting for a reader's end: a guard against a hang, never a verdict.
const END_TIMEOUT: Duration = Duration::from_secs(60);

/// How the reader of `progress` ended, or why that is not known.
fn reader_end(progress: &Progress) -> Result<ReaderEnd, String> {
    progress
        .wait_for_end(END_TIMEOUT)
        .ok_or_else(|| "the reader never reported its end".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fingerprint_is_fnv1a_over_every_chunk() {
        let mut whole = Checksum::default();
        whole.update(b"a");
        // The published FNV-1a 64 value of "a".
        assert_eq!(whole.label(), "fnv1a64:af63dc4c8601ec8c");
        let mut parts = Checksum::default();
        parts.write_all(b"hello, ").unwrap();
        parts.write_all(b"world").unwrap();
        let mut once = Checksum::default();
        once.update(b"hello, world");
        assert_eq!(parts, once);
        assert_eq!(once.bytes, 12);
    }

    #[test]
    fn only_the_first_end_and_first_byte_count() {
        let progress = Progress::new();
        progress.row_read();
        progress.first_byte_left();
        progress.row_read();
        progress.first_byte_left();
        progress.finish(false);
        progress.finish(true);
        assert_eq!(progress.rows_read_at_first_byte(), Some(1));
        let end = progress.wait_for_end(Duration::ZERO);
        assert_eq!(
            end,
            Some(ReaderEnd {
                rows_read: 2,
                complete: false
            })
        );
    }
}
