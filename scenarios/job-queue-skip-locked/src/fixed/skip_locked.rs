//! PostgreSQL's queue lock: `select_for_update(skip_locked=True)` inside
//! `transaction.atomic()`.

use lab_kit::db::{Backend, Db, DbError};

use crate::model::Worker;

/// The broken turn's claim and run, after a pick that locks the job it returns.
pub const WORKER: Worker = Worker {
    pick_sql,
    pick,
    ..crate::broken::WORKER
};

/// `Job.objects.select_for_update(skip_locked=True).filter(claimed_by=None)
/// .order_by("pk").first()`.
fn pick_sql(backend: Backend) -> &'static str {
    match backend {
        // FIX: FOR UPDATE locks the job until the turn's transaction ends, and SKIP LOCKED
        // passes over jobs other transactions hold: a second worker takes the next job at
        // once instead of waiting for (and then re-running) the first one's.
        Backend::Postgres => {
            "SELECT id FROM queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1 \
             FOR UPDATE SKIP LOCKED"
        }
        // What Django sends on SQLite: it drops the locking clause without a word, since
        // SQLite has no row locks. This fix is PostgreSQL's; SQLite's is claim_update.rs.
        Backend::Sqlite => "SELECT id FROM queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1",
    }
}

fn pick(db: &mut dyn Db) -> Result<Option<i64>, DbError> {
    let sql = pick_sql(db.backend());
    db.query_opt_i64(sql, &[])
}
