//! Snapshots and verdicts of the SQLite variants, what SQLite does with the broken view
//! inside a deferred transaction, and how PostgreSQL variants report a missing server.

use lab_kit::{Outcome, Report};
use row_locking::{SCENARIO, sqlite_schedules};

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// a broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
    report
}

fn waited(report: &Report) -> bool {
    report.transcript.iter().any(|l| l.contains("<waiting"))
}

#[test]
fn broken_sqlite_sells_the_last_lamp_twice() {
    let report = check("broken_sqlite", true);
    assert_eq!(report.observations["orders"], 2);
    assert_eq!(report.observations["final_stock"], 0);
    // Two decrements of one lamp, and the stock went down once: one update was lost.
    assert_eq!(report.observations["lost_updates"], 1);
    insta::assert_yaml_snapshot!("broken_sqlite", report);
}

#[test]
fn fixed_immediate_makes_the_second_buyer_wait_then_refuses() {
    let report = check("fixed_immediate", false);
    assert_eq!(report.observations["orders"], 1);
    assert_eq!(
        report.observations["customers_told"]["bob"],
        "refused: sold out"
    );
    assert!(waited(&report), "{report:#?}");
    insta::assert_yaml_snapshot!("fixed_immediate", report);
}

#[test]
fn fixed_conditional_update_sqlite_refuses_the_second_buyer_without_a_lock() {
    let report = check("fixed_conditional_update_sqlite", false);
    assert_eq!(report.observations["orders"], 1);
    assert_eq!(report.observations["lost_updates"], 0);
    assert_eq!(
        report.observations["customers_told"]["bob"],
        "refused: sold out"
    );
    assert!(!waited(&report), "{report:#?}");
    insta::assert_yaml_snapshot!("fixed_conditional_update_sqlite", report);
}

#[test]
fn sqlite_turns_the_broken_view_inside_a_deferred_transaction_into_an_error() {
    let (ledger, transcript) = sqlite_schedules::deferred_transactions().expect("the story runs");
    // No oversell: the second buyer got "database is locked" instead of an order.
    assert_eq!((ledger.orders, ledger.final_stock), (1, 0));
    insta::assert_yaml_snapshot!("sqlite_deferred_transactions", transcript.lines());
}

#[test]
fn postgres_variants_are_skipped_with_the_command_or_have_verdicts() {
    let configured = lab_kit::postgres::url().is_some();
    let run = SCENARIO.run();
    for result in &run.variants {
        let name = result.name();
        let needs_postgres = SCENARIO
            .variant(name)
            .is_some_and(|v| v.needs.contains(&lab_kit::Need::Postgres));
        match &result.outcome {
            Outcome::Skipped(skipped) => {
                assert!(
                    !configured,
                    "{name} skipped although PostgreSQL is configured"
                );
                assert!(needs_postgres, "{name} needs only SQLite and was skipped");
                assert!(
                    skipped.contains("scripts/with-postgres cargo run -- run row-locking"),
                    "{skipped}"
                );
            }
            Outcome::Ran(_) => {}
            Outcome::Failed(why) => panic!("{name} failed: {why}"),
        }
    }
    assert!(
        SCENARIO.problems(&run).is_empty(),
        "{:?}",
        SCENARIO.problems(&run)
    );
    let ran = run
        .variants
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Ran(_)))
        .count();
    assert_eq!(ran, if configured { 8 } else { 3 });
}

#[test]
fn no_schedule_of_two_buyers_makes_a_sqlite_fix_oversell() {
    // BEGIN IMMEDIATE leaves 8 of the 70 orderings runnable: once one buyer has begun,
    // the other can only begin (and wait) somewhere before the first one's commit.
    for (fix, runnable) in [
        ("fixed_immediate", 8),
        ("fixed_conditional_update_sqlite", 6),
    ] {
        let schedules = sqlite_schedules::every_schedule(fix).expect("every schedule runs");
        assert_eq!(schedules.runnable, runnable, "{fix}: {schedules:?}");
        assert_eq!(schedules.oversold, Vec::<Vec<String>>::new(), "{fix}");
    }
}

#[test]
fn broken_sqlite_oversells_whenever_both_read_before_either_buys() {
    let schedules = sqlite_schedules::every_schedule("broken_sqlite").expect("every schedule runs");
    // Of the 6 schedules of read/buy x 2, the 4 where both reads come before the second
    // buy oversell; only "one buyer finishes before the other reads" is safe.
    assert_eq!(schedules.runnable, 6);
    assert_eq!(schedules.oversold.len(), 4, "{schedules:?}");
    insta::assert_yaml_snapshot!("broken_sqlite_schedules", schedules);
}
