//! No claim on a value read earlier: one conditional `UPDATE ... RETURNING` finds the
//! oldest pending job and claims it in the same statement.

use lab_kit::db::{Backend, Db, DbError};

use crate::model::Worker;

/// The broken turn's transaction and run, with the pick and the claim made one statement.
pub const WORKER: Worker = Worker {
    pick_sql,
    pick,
    claim_sql: CLAIM_SQL,
    claim,
    ..crate::broken::WORKER
};

fn pick_sql(_backend: Backend) -> &'static str {
    "(no read: the claim finds the oldest pending job itself)"
}

/// Nothing to read: a job picked here could be gone by the claim.
fn pick(_db: &mut dyn Db) -> Result<Option<i64>, DbError> {
    Ok(None)
}

const CLAIM_SQL: &str = "UPDATE queue_job SET claimed_by = me WHERE id = (SELECT id FROM \
                         queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1) AND \
                         claimed_by IS NULL RETURNING id; if a row: run the job";

/// `Job.objects.filter(pk=Subquery(oldest_pending), claimed_by=None).update(claimed_by=me)`,
/// with `RETURNING id` to learn which job it was.
fn claim(db: &mut dyn Db, _picked: Option<i64>, worker: &str) -> Result<Option<i64>, DbError> {
    // FIX: the pick and the claim are one statement, and `claimed_by IS NULL` is checked
    // against the row as it is now. SQLite runs it under its database-wide write lock, so
    // a second worker's subquery already sees the first claim and finds the next job. On
    // PostgreSQL a second claim of the same row waits for the first worker's transaction,
    // re-checks `claimed_by IS NULL`, and comes back empty: the worker must try again.
    let sql = "UPDATE queue_job SET claimed_by = $1 \
               WHERE id = (SELECT id FROM queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1) \
               AND claimed_by IS NULL RETURNING id";
    db.query_opt_i64(sql, &[worker.into()])
}
