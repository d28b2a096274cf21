//! Bounded stress runs: 4 threads, 60 purchases of an item with 20 in stock, a 60 s cap
//! (a safety net, not a measurement). Every fix sells exactly the stock and never
//! oversells; the broken path is run and printed, not asserted - whether it oversells on
//! a given run is up to the scheduler.

use std::time::Duration;

use row_locking::stress::{self, Plan, Tally};
use row_locking::{PgPurchase, SqlitePurchase, broken, fixed};

const COMMAND: &str = "cargo test -p row-locking -- --include-ignored";

/// Asserts that a fix sold every lamp exactly once and nobody was cut off by the cap.
#[track_caller]
fn check(name: &str, tally: &Tally, plan: &Plan) {
    eprintln!("{name}: {tally:?}");
    assert_eq!(
        tally.unfinished, 0,
        "{name}: the cap cut purchases off: {tally:?}"
    );
    assert!(!tally.ledger.oversold(), "{name} oversold: {tally:?}");
    assert_eq!(tally.ledger.orders, plan.stock, "{name}: {tally:?}");
    assert_eq!(tally.ledger.final_stock, 0, "{name}: {tally:?}");
    assert_eq!(
        tally.sold + tally.sold_out,
        plan.purchases,
        "{name}: {tally:?}"
    );
}

#[test]
fn sqlite_fixes_never_oversell_under_concurrent_buyers() {
    let plan = Plan::default();
    let fixes: [(&str, SqlitePurchase); 2] = [
        ("fixed_immediate", fixed::immediate::buy),
        ("fixed_conditional_update_sqlite", fixed::conditional::buy),
    ];
    for (name, buy) in fixes {
        let tally = stress::sqlite(buy, &plan).expect("the stress run completes");
        check(name, &tally, &plan);
    }
    // Shown, not asserted: how the broken path fared this time.
    let tally = stress::sqlite(broken::buy, &plan).expect("the stress run completes");
    eprintln!("broken_sqlite (not asserted): {tally:?}");
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn postgres_fixes_never_oversell_under_concurrent_buyers() {
    let url = lab_kit::postgres::url_for_test(COMMAND);
    let plan = Plan::default();
    let fixes: [(&str, PgPurchase); 3] = [
        ("fixed_for_update", fixed::locking::buy_for_update),
        ("fixed_nowait", fixed::locking::buy_nowait),
        (
            "fixed_conditional_update_postgres",
            fixed::conditional::buy_pg,
        ),
    ];
    for (name, buy) in fixes {
        let tally = stress::postgres(&url, buy, &plan).expect("the stress run completes");
        check(name, &tally, &plan);
    }
    let tally = stress::postgres(&url, broken::buy_pg, &plan).expect("the stress run completes");
    eprintln!("broken_postgres (not asserted): {tally:?}");
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn skip_locked_workers_run_every_job_exactly_once() {
    let url = lab_kit::postgres::url_for_test(COMMAND);
    let runs = stress::queue(&url, 4, 40, Duration::from_secs(60)).expect("the workers finish");
    assert_eq!(runs, vec![1; 40]);
}
