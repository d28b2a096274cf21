//! The lab's own checks: snapshots and verdicts of both variants with their heap measured,
//! broken's failures of the graded properties (its shrunk counterexample pinned), and the
//! fix under a real client that disconnects. This binary installs the counting allocator,
//! so its tests run one at a time.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use std::sync::{Mutex, MutexGuard, PoisonError};

use lab_kit::stream::check::a_real_client_leaves;
use proptest::prelude::*;
use streaming_large_csv::SCENARIO;
use streaming_large_csv::model::seed::{self, SEED};
use streaming_large_csv::model::{Customer, PATH};
use streaming_large_csv::property::{
    self, CASES, OWN_TEXT, heap_stays_flat, stops_when_the_body_is_dropped, streams_the_exact_csv,
};
use streaming_large_csv::{broken, fixed};

// The counting allocator of this test binary is declared in properties.rs (one per
// binary; the exported exercise runs that file as a binary of its own).

/// Held for a whole test: the allocator's peak is process-wide, so nothing else may run
/// beside a measured test.
static ALONE: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ALONE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// The rows `tests/properties.rs` puts in front of the generated table.
fn own_rows() -> impl Strategy<Value = Vec<Customer>> {
    proptest::collection::vec((OWN_TEXT, OWN_TEXT, -100_000_i64..100_000), 0..4)
        .prop_map(property::own_rows)
}

/// The `i`-th response's `key` in a report.
#[track_caller]
fn response(report: &lab_kit::Report, i: usize, key: &str) -> String {
    let value = &report.observations["responses"][i][key];
    value.as_str().expect("a string observation").to_owned()
}

// Both reports fail to run unless each body is the table's CSV byte for byte (run.rs
// compares it with the reference), so the two variants send identical bytes.

#[test]
fn broken_sends_nothing_before_the_last_row_and_its_heap_grows_with_the_table() {
    let _alone = alone();
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(report.observations["first_byte_only_after_last_row"], true);
    assert_eq!(report.observations["heap_grows_with_rows"], true);
    assert_eq!(response(&report, 0, "peak_heap_growth"), "< 4 MiB");
    assert_ne!(response(&report, 1, "peak_heap_growth"), "< 4 MiB");
    assert!(response(&report, 1, "framing").starts_with("content-length: "));
}

#[test]
fn fixed_starts_at_once_and_keeps_a_flat_heap() {
    let _alone = alone();
    let report = lab_kit::check!(SCENARIO, "fixed");
    assert_eq!(report.observations["first_byte_only_after_last_row"], false);
    assert_eq!(report.observations["heap_grows_with_rows"], false);
    for i in 0..2 {
        assert_eq!(response(&report, i, "peak_heap_growth"), "< 4 MiB");
        assert_eq!(
            response(&report, i, "framing"),
            "transfer-encoding: chunked"
        );
        assert_eq!(
            response(&report, i, "first_byte_left"),
            "before the last row was read"
        );
    }
}

#[test]
fn broken_fails_the_graded_checks_and_its_counterexample_is_the_plainest_table() {
    let _alone = alone();
    let found = lab_kit::property::minimal_counterexample(&own_rows(), CASES, |own| {
        streams_the_exact_csv(broken::export, own)
    });
    let (own, failure) = found.expect("the broken export must fail");
    // Any table shows it: proptest shrinks the rows in front of the generated ones away.
    assert!(own.is_empty(), "{own:?}");
    assert!(failure.contains("only after all"), "{failure}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({"own_rows": own.len(), "failure": failure})
    );
    let heap = heap_stays_flat(broken::export).expect_err("broken's heap grows");
    assert!(heap.starts_with("the heap grew by"), "{heap}");
    let dropped = stops_when_the_body_is_dropped(broken::export).expect_err("broken reads all");
    assert!(
        dropped.starts_with("mid-download nobody held the database"),
        "{dropped}"
    );
}

/// Far more CSV (~16 MB) than the channel, hyper's buffers and a loopback socket whose
/// reader stopped reading can hold, so the reader cannot have finished when the client
/// leaves.
const DISCONNECT_ROWS: u64 = 200_000;

#[test]
fn fixed_stops_reading_and_releases_the_database_when_a_real_client_disconnects() {
    let _alone = alone();
    let db = seed::build(DISCONNECT_ROWS, SEED).unwrap();
    // A real client takes three chunks; mid-download the reader's open cursor holds
    // SQLite's shared lock (a writer's BEGIN EXCLUSIVE is refused); then it leaves.
    let end = a_real_client_leaves(PATH, fixed::export, &db).unwrap();
    assert!(!end.complete, "the reader stopped early: {end:?}");
    assert!(
        end.rows_read > 0 && end.rows_read < DISCONNECT_ROWS,
        "{end:?}"
    );
    // The statement and the connection are gone: the database is free for a writer.
    db.connect()
        .unwrap()
        .execute_batch("BEGIN EXCLUSIVE; COMMIT")
        .expect("no reader holds the database any more");
}
