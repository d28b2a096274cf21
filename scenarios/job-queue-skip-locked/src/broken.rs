//! The pitfall: the worker claims, by its id, a job it read earlier.
//!
//! It reads which job is next, then claims that job by its id - with nothing stopping
//! another worker from reading the same job between the read and the claim. The Django
//! worker this is:
//! ```text
//! job = Job.objects.filter(claimed_by=None).order_by("pk").first()   # pick
//! if job is None: return
//! job.claimed_by = me                                                # claim
//! job.save(update_fields=["claimed_by"])
//! run(job)                                                           # send the e-mail
//! ```
//! On SQLite it runs in Django's default autocommit; on PostgreSQL inside
//! `transaction.atomic()`, which people expect to protect it - it does not.

use lab_kit::db::{Backend, Db, DbError};

use crate::model::Worker;

/// The worker's turn as everybody writes it first.
pub const WORKER: Worker = Worker {
    begin,
    pick_sql,
    pick,
    claim_sql: CLAIM_SQL,
    claim,
};

/// Autocommit on SQLite (Django's default: every query commits on its own), and
/// `transaction.atomic()` around the turn on PostgreSQL.
fn begin(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("BEGIN"),
    }
}

/// `Job.objects.filter(claimed_by=None).order_by("pk").first()`: a plain read, no lock.
fn pick_sql(_backend: Backend) -> &'static str {
    "SELECT id FROM queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1"
}

fn pick(db: &mut dyn Db) -> Result<Option<i64>, DbError> {
    let sql = pick_sql(db.backend());
    db.query_opt_i64(sql, &[])
}

const CLAIM_SQL: &str = "UPDATE queue_job SET claimed_by = me WHERE id = picked; \
                         if 1 row: run the job";

/// `job.claimed_by = me; job.save(update_fields=["claimed_by"])`.
fn claim(db: &mut dyn Db, picked: Option<i64>, worker: &str) -> Result<Option<i64>, DbError> {
    let Some(job) = picked else {
        return Ok(None);
    };
    // PITFALL: `picked` may already belong to someone else: another worker can have read
    // the same oldest job and claimed it since. The UPDATE names the job by id only, so it
    // matches anyway, overwrites their claim, and this worker runs the job a second time.
    // On PostgreSQL it waits for the other worker's row lock first - then does the same.
    let sql = "UPDATE queue_job SET claimed_by = $1 WHERE id = $2";
    if db.execute(sql, &[worker.into(), job.into()])? == 0 {
        return Ok(None);
    }
    Ok(Some(job))
}
