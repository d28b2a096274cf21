//! The lab's own tests: every variant's verdict and snapshot, every schedule of the broken
//! turn, and the bounded stress runs. PostgreSQL tests need a server:
//! `scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored`;
//! without `LAB_POSTGRES_URL` they show as ignored, and run with `--include-ignored` but no
//! server they fail and say how to start one.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use job_queue_skip_locked::model::Worker;
use job_queue_skip_locked::stress::{self, Plan};
use job_queue_skip_locked::{SCENARIO, broken, fixed, property};
use lab_kit::db::Backend;
use lab_kit::{Outcome, check};
use serde_json::json;

const COMMAND: &str = "cargo test -p job-queue-skip-locked -- --include-ignored";

#[test]
fn broken_sqlite_runs_the_oldest_job_twice_and_never_the_next() {
    let report = check!(SCENARIO, "broken_sqlite");
    assert_eq!(report.observations["jobs_run_twice"], json!([1]));
    assert_eq!(report.observations["jobs_never_run"], json!([2]));
    assert_eq!(
        report.observations["runs"][0]["ran_by"],
        json!(["w1", "w2"])
    );
}

#[test]
fn fixed_claim_update_sqlite_gives_the_second_worker_the_next_job() {
    let report = check!(SCENARIO, "fixed_claim_update_sqlite");
    assert_eq!(report.observations["runs"][0]["ran_by"], json!(["w1"]));
    assert_eq!(report.observations["runs"][1]["ran_by"], json!(["w2"]));
    assert_eq!(report.observations["steps_that_waited"], json!([]));
}

#[test]
fn broken_sqlite_runs_a_job_twice_whenever_both_pick_before_either_claims() {
    let schedules = property::every_schedule(&broken::WORKER, Backend::Sqlite).expect("runs");
    // Of the 6 schedules of pick/claim x 2, the 4 where both picks come before the second
    // claim run job 1 twice; only "one worker claims before the other picks" is safe.
    assert_eq!(schedules.runnable, 6);
    assert_eq!(schedules.wrong.len(), 4, "{schedules:?}");
    insta::assert_yaml_snapshot!("broken_sqlite_schedules", schedules);
}

#[test]
fn skip_locked_is_no_fix_on_sqlite_where_django_drops_it() {
    // Django sends the plain SELECT on SQLite, so the fix is the broken turn there.
    let every = property::every_schedule(&fixed::skip_locked::WORKER, Backend::Sqlite);
    let schedules = every.expect("runs");
    assert_eq!((schedules.runnable, schedules.wrong.len()), (6, 4));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn broken_postgres_runs_a_job_twice_in_most_schedules_and_the_fixes_in_none() {
    lab_kit::postgres::url_for_test(COMMAND);
    let every = |w| property::every_schedule(w, Backend::Postgres).expect("runs");
    let broken = every(&broken::WORKER);
    assert_eq!((broken.runnable, broken.wrong.len()), (50, 40));
    // SKIP LOCKED never waits, so all 70 orderings run; the conditional claim waits.
    for (worker, runnable) in [
        (&fixed::skip_locked::WORKER, 70),
        (&fixed::claim_update::WORKER, 50),
    ] {
        let schedules = every(worker);
        assert_eq!((schedules.runnable, schedules.wrong.len()), (runnable, 0));
    }
}

#[test]
fn postgres_variants_are_skipped_with_the_command_or_have_verdicts() {
    let configured = lab_kit::postgres::url().is_some();
    let run = SCENARIO.run();
    for result in &run.variants {
        let needs = SCENARIO
            .variant(result.name())
            .map(|v| v.needs)
            .unwrap_or_default();
        match &result.outcome {
            Outcome::Skipped(why) => {
                assert!(
                    !configured && needs.contains(&lab_kit::Need::Postgres),
                    "{why}"
                );
                let command = "scripts/with-postgres cargo run -- run job-queue-skip-locked";
                assert!(why.contains(command), "{why}");
            }
            Outcome::Ran(_) => {}
            Outcome::Failed(why) => panic!("{} failed: {why}", result.name()),
        }
    }
    assert_eq!(SCENARIO.problems(&run), Vec::<String>::new());
    let ran = run.variants.iter().filter(|v| v.report().is_some()).count();
    assert_eq!(ran, if configured { 5 } else { 2 });
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn broken_postgres_runs_the_oldest_job_twice_even_inside_a_transaction() {
    lab_kit::postgres::url_for_test(COMMAND);
    let report = check!(SCENARIO, "broken_postgres");
    assert_eq!(report.observations["jobs_run_twice"], json!([1]));
    // The second claim did wait for the first worker's row lock - and then took job 1 anyway.
    assert_eq!(
        report.observations["steps_that_waited"],
        json!(["w2_claim"])
    );
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn fixed_skip_locked_gives_the_second_worker_the_next_job_without_waiting() {
    lab_kit::postgres::url_for_test(COMMAND);
    let report = check!(SCENARIO, "fixed_skip_locked");
    assert_eq!(report.observations["runs"][1]["ran_by"], json!(["w2"]));
    // The monitor saw no session blocked by another at any step.
    assert_eq!(report.observations["steps_that_waited"], json!([]));
    let skipped = "w2: [w2_pick] SELECT id FROM queue_job WHERE claimed_by IS NULL ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED -> id=2";
    assert!(
        report.transcript.contains(&skipped.to_owned()),
        "{report:#?}"
    );
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn fixed_claim_update_postgres_waits_comes_back_empty_and_must_try_again() {
    lab_kit::postgres::url_for_test(COMMAND);
    let report = check!(SCENARIO, "fixed_claim_update_postgres");
    assert_eq!(
        report.observations["steps_that_waited"],
        json!(["w2_claim"])
    );
    let empty = "w2: [w2_claim] <... completed> -> claimed nothing".to_owned();
    assert!(report.transcript.contains(&empty), "{report:#?}");
    assert_eq!(report.observations["runs"][1]["ran_by"], json!(["w2"]));
}

/// Runs `fixes` and then the broken turn under [`Plan::default`] on `backend`: with every
/// fix each job runs exactly once; the broken turn is printed, not asserted, since whether
/// it runs a job twice on a given run is up to the scheduler.
#[track_caller]
fn stress_fixes(backend: Backend, fixes: &[(&str, &Worker)]) {
    let plan = Plan::default();
    let once = vec![1; usize::try_from(plan.jobs).expect("a small queue")];
    for (name, worker) in fixes {
        let tally = stress::run(worker, backend, &plan).expect("the stress run completes");
        eprintln!("{name}: {tally:?}");
        assert!(!tally.capped, "{name}: the cap stopped a worker: {tally:?}");
        assert_eq!(tally.runs, once, "{name}: {tally:?}");
    }
    let tally = stress::run(&broken::WORKER, backend, &plan).expect("the stress run completes");
    eprintln!("broken on {} (not asserted): {tally:?}", backend.as_str());
}

#[test]
fn sqlite_claim_update_workers_run_every_job_exactly_once() {
    stress_fixes(
        Backend::Sqlite,
        &[("fixed_claim_update_sqlite", &fixed::claim_update::WORKER)],
    );
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored"]
fn postgres_fixes_run_every_job_exactly_once_under_concurrent_workers() {
    lab_kit::postgres::url_for_test(COMMAND);
    stress_fixes(
        Backend::Postgres,
        &[
            ("fixed_skip_locked", &fixed::skip_locked::WORKER),
            ("fixed_claim_update_postgres", &fixed::claim_update::WORKER),
        ],
    );
}
