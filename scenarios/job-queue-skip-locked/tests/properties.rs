//! The checks a fix must pass, through nothing but the API every fix shares with
//! `broken.rs` (its `WORKER`): under every schedule of two workers' turns, once the queue
//! has been worked empty every job ran exactly once. Deterministic - every schedule is run,
//! none is sampled - and each fails for a fix module that is still a copy of `broken.rs`.
//! This file travels with the homework export and grades it; the PostgreSQL checks need a
//! server: `scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored`.

use job_queue_skip_locked::{fixed, property};
use lab_kit::db::Backend;

const COMMAND: &str = "cargo test -p job-queue-skip-locked -- --include-ignored";

#[test]
fn fixed_claim_update_runs_every_job_once_in_any_schedule_of_two_sqlite_workers() {
    let check = property::every_job_runs_once(&fixed::claim_update::WORKER, Backend::Sqlite);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn fixed_claim_update_runs_every_job_once_in_any_schedule_of_two_postgres_workers() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check = property::every_job_runs_once(&fixed::claim_update::WORKER, Backend::Postgres);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn fixed_skip_locked_runs_every_job_once_in_any_schedule_of_two_postgres_workers() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check = property::every_job_runs_once(&fixed::skip_locked::WORKER, Backend::Postgres);
    assert_eq!(check, Ok(()));
}
