//! The fix: each batch is a transaction of its own, and the job rests between batches,
//! so the site's writes take the lock in the gaps and wait for one batch at most.

use std::time::Duration;

use rusqlite::Connection;

use crate::model::Purge;

/// The purge in batches.
pub const PURGE: Purge = Purge {
    begin,
    batch,
    end,
    // FIX: a pause between batches. SQLite's busy handler retries a waiting write after
    // 1, 2, 5, 10 ms...; a job that starts its next batch the moment it commits takes the
    // lock again first, every time, and the write still waits for the whole job.
    rest: Duration::from_millis(2),
};

fn begin(_conn: &Connection) -> rusqlite::Result<()> {
    // FIX: no transaction around the job: it may stop half way and run again tomorrow,
    // since deleting old events is safe to repeat.
    Ok(())
}

/// The next batch of old events, committed on its own.
fn batch(conn: &Connection, cutoff: i64, limit: i64) -> rusqlite::Result<usize> {
    // FIX: each batch takes the write lock, deletes, and commits: the lock is held for one
    // batch, never for the job.
    let tx = conn.unchecked_transaction()?;
    let deleted = tx.execute(
        "DELETE FROM log_event WHERE id IN \
         (SELECT id FROM log_event WHERE day < ?1 LIMIT ?2)",
        [cutoff, limit],
    )?;
    tx.commit()?;
    Ok(deleted)
}

fn end(_conn: &Connection) -> rusqlite::Result<()> {
    Ok(())
}
