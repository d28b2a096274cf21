//! SQLite has no row locks: the fix takes its database-wide write lock before the read.

use rusqlite::Connection;

use crate::{Sale, broken};

/// What Django 5.1+ sends for `transaction.atomic()` with
/// `OPTIONS = {"transaction_mode": "IMMEDIATE"}`.
pub const BEGIN: &str = "BEGIN IMMEDIATE";

/// The same read, check and write as the broken view, inside `BEGIN IMMEDIATE`.
pub fn buy(conn: &Connection, buyer: &str) -> rusqlite::Result<Sale> {
    // FIX: BEGIN IMMEDIATE takes SQLite's RESERVED (write) lock now, before the read. A
    // second buyer's BEGIN IMMEDIATE gets SQLITE_BUSY (or waits, with a busy timeout)
    // until this transaction commits, so its read sees the stock this one wrote.
    conn.execute_batch(BEGIN)?;
    let result = broken::read_stock(conn).and_then(|seen| broken::sell(conn, seen, buyer));
    match result {
        Ok(sale) => {
            conn.execute_batch("COMMIT")?;
            Ok(sale)
        }
        Err(e) => {
            // Nothing half-done survives a failed purchase; the error is what matters.
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
