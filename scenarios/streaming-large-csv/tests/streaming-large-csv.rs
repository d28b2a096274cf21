//! Snapshots and verdicts of both variants, with their heap measured. This binary installs
//! the counting allocator and runs its tests one at a time (a lock): the peak is
//! process-wide, so nothing else may allocate while a variant is measured. The property
//! and disconnect tests live in `tests/streaming.rs`, another process.

use std::sync::{Mutex, MutexGuard, PoisonError};

use lab_kit::Report;
use lab_kit::measure::CountingAlloc;
use streaming_large_csv::SCENARIO;

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Held for a whole test, so the measured runs never overlap with anything else in this
/// process (a failing test's panic hook, symbolising a backtrace, allocates megabytes).
static MEASURING: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    MEASURING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant. Call it holding [`alone`].
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    assert!(
        lab_kit::measure::installed(),
        "the counting allocator is installed"
    );
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
    report
}

fn response<'a>(report: &'a Report, index: usize, key: &str) -> &'a serde_json::Value {
    &report.observations["responses"][index][key]
}

#[test]
fn broken_sends_nothing_before_the_last_row_and_its_heap_grows_with_the_table() {
    let _alone = alone();
    let report = check("broken", true);
    assert_eq!(report.observations["first_byte_only_after_last_row"], true);
    assert_eq!(report.observations["heap_grows_with_rows"], true);
    assert_eq!(response(&report, 0, "peak_heap_growth"), "< 4 MiB");
    assert_ne!(response(&report, 1, "peak_heap_growth"), "< 4 MiB");
    assert_eq!(
        response(&report, 1, "body_is"),
        "the plain CSV of the table"
    );
    // Every formula-looking cell of the table reaches the spreadsheet as it was typed.
    assert_ne!(report.observations["formula_cells_left_live"], 0);
    insta::assert_yaml_snapshot!("broken", report);
}

#[test]
fn fixed_starts_at_once_keeps_a_flat_heap_and_guards_formula_cells() {
    let _alone = alone();
    let report = check("fixed", false);
    assert_eq!(report.observations["first_byte_only_after_last_row"], false);
    assert_eq!(report.observations["heap_grows_with_rows"], false);
    for i in 0..2 {
        assert_eq!(response(&report, i, "peak_heap_growth"), "< 4 MiB");
        assert_eq!(
            response(&report, i, "framing"),
            "transfer-encoding: chunked"
        );
        let body_is = response(&report, i, "body_is").as_str().expect("a string");
        assert!(
            body_is.contains("formula-looking cells guarded"),
            "{body_is}"
        );
    }
    assert_eq!(report.observations["formula_cells_left_live"], 0);
    insta::assert_yaml_snapshot!("fixed", report);
}
