//! SQLite has no row locks: the fix takes its database-wide write lock before the read.

use lab_kit::db::Backend;

use crate::model::Purchase;

/// The broken view's read, check and write, inside `BEGIN IMMEDIATE`.
pub const PURCHASE: Purchase = Purchase {
    begin,
    ..crate::broken::PURCHASE
};

/// What Django 5.1+ sends for `transaction.atomic()` with
/// `OPTIONS = {"transaction_mode": "IMMEDIATE"}`.
fn begin(backend: Backend) -> Option<&'static str> {
    match backend {
        // FIX: BEGIN IMMEDIATE takes SQLite's RESERVED (write) lock now, before the read. A
        // second buyer's BEGIN IMMEDIATE gets SQLITE_BUSY (or waits, with a busy timeout)
        // until this transaction commits, so its read sees the stock this one wrote.
        Backend::Sqlite => Some("BEGIN IMMEDIATE"),
        // PostgreSQL has no such mode and locks rows, not the database: its fix is
        // for_update.rs. Here the view keeps atomic()'s plain BEGIN.
        Backend::Postgres => Some("BEGIN"),
    }
}
