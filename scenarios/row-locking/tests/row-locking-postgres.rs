//! Snapshots and verdicts of the PostgreSQL variants. They need a server:
//! `scripts/with-postgres cargo test -p row-locking -- --include-ignored`. Without
//! `LAB_POSTGRES_URL` they show as ignored; run with `--include-ignored` but no server,
//! they fail and say how to start one.

use lab_kit::Report;
use row_locking::SCENARIO;

const COMMAND: &str = "cargo test -p row-locking -- --include-ignored";

/// Runs the variant `name` against the configured server and asserts its verdict.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    lab_kit::postgres::url_for_test(COMMAND);
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
    report
}

/// The transcript lines that show a step waiting on a lock.
fn waits(report: &Report) -> Vec<&str> {
    report
        .transcript
        .iter()
        .filter(|l| l.contains("<waiting"))
        .map(String::as_str)
        .collect()
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn broken_postgres_sells_the_last_lamp_twice_even_inside_a_transaction() {
    let report = check("broken_postgres", true);
    assert_eq!(report.observations["orders"], 2);
    assert_eq!(report.observations["lost_updates"], 1);
    // The second UPDATE did wait for the row - and then wrote its stale value anyway.
    assert_eq!(waits(&report).len(), 1, "{report:#?}");
    insta::assert_yaml_snapshot!("broken_postgres", report);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_for_update_makes_the_second_buyer_wait_then_see_zero() {
    let report = check("fixed_for_update", false);
    assert_eq!(report.observations["orders"], 1);
    assert_eq!(
        report.observations["customers_told"]["bob"],
        "refused: sold out"
    );
    let waits = waits(&report);
    assert!(
        waits.len() == 1 && waits[0].starts_with("s2: [s2_read]"),
        "{report:#?}"
    );
    assert!(
        report
            .transcript
            .contains(&"s2: [s2_read] <... completed> -> stock=0".to_owned())
    );
    insta::assert_yaml_snapshot!("fixed_for_update", report);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_nowait_fails_fast_with_the_lock_error() {
    let report = check("fixed_nowait", false);
    assert_eq!(report.observations["orders"], 1);
    assert!(waits(&report).is_empty(), "{report:#?}");
    assert!(
        report
            .transcript
            .iter()
            .any(|l| l.contains("could not obtain lock on row") && l.contains("55P03")),
        "{report:#?}"
    );
    insta::assert_yaml_snapshot!("fixed_nowait", report);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_skip_locked_gives_two_workers_two_different_jobs() {
    let report = check("fixed_skip_locked", false);
    let runs = report.observations["runs"]
        .as_array()
        .expect("runs is a list");
    let workers: Vec<&str> = runs
        .iter()
        .map(|r| r["workers"].as_str().unwrap())
        .collect();
    assert_eq!(workers, ["w1", "w2", ""]);
    assert_eq!(
        report.observations["steps_that_waited"],
        serde_json::json!([])
    );
    insta::assert_yaml_snapshot!("fixed_skip_locked", report);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_conditional_update_postgres_rechecks_the_row_after_waiting() {
    let report = check("fixed_conditional_update_postgres", false);
    assert_eq!(report.observations["orders"], 1);
    assert_eq!(
        report.observations["customers_told"]["bob"],
        "refused: sold out"
    );
    assert_eq!(waits(&report).len(), 1, "{report:#?}");
    insta::assert_yaml_snapshot!("fixed_conditional_update_postgres", report);
}
