//! The pitfall: the nightly purge deletes every old event in one transaction.
//!
//! `Event.objects.filter(day__lt=cutoff).delete()` does this by itself: for a model with
//! a `post_delete` receiver (or relations to cascade) Django collects the rows and deletes
//! them 100 primary keys per statement, all inside one `transaction.atomic()`. A hand
//! written purge that wraps its loop in `atomic()` "so it is all or nothing" does the same.

use std::time::Duration;

use rusqlite::Connection;

use crate::model::Purge;

/// The purge as it is usually written.
pub const PURGE: Purge = Purge {
    begin,
    batch,
    end,
    rest: Duration::ZERO,
};

fn begin(conn: &Connection) -> rusqlite::Result<()> {
    // PITFALL: one transaction around the whole purge. Its first DELETE takes the
    // database's write lock and every later batch keeps it: each write the site tries
    // until COMMIT waits (or fails with "database is locked" once its busy timeout runs
    // out) - for a million rows, minutes. In rollback-journal mode, once the job's changes
    // outgrow its page cache it takes the exclusive lock and shuts readers out too.
    conn.execute_batch("BEGIN")
}

/// The next batch of old events.
fn batch(conn: &Connection, cutoff: i64, limit: i64) -> rusqlite::Result<usize> {
    conn.execute(
        "DELETE FROM log_event WHERE id IN \
         (SELECT id FROM log_event WHERE day < ?1 LIMIT ?2)",
        [cutoff, limit],
    )
}

fn end(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch("COMMIT")
}
