//! The checks a fix must pass, through nothing but the API every fix shares with
//! `broken.rs` (its `PURCHASE`): under every schedule of two buyers' steps, the shop never
//! sells more lamps than it had. Deterministic - every schedule is run, none is sampled -
//! and each fails for a fix module that is still a copy of `broken.rs`. This file travels
//! with the homework export and grades it; the PostgreSQL checks need a server:
//! `scripts/with-postgres cargo test -p row-locking -- --include-ignored`.

use lab_kit::db::Backend;
use row_locking::{fixed, property};

const COMMAND: &str = "cargo test -p row-locking -- --include-ignored";

#[test]
fn fixed_immediate_never_oversells_in_any_schedule_of_two_sqlite_buyers() {
    let check = property::never_oversells(&fixed::immediate::PURCHASE, Backend::Sqlite);
    assert_eq!(check, Ok(()));
}

#[test]
fn fixed_conditional_update_never_oversells_in_any_schedule_of_two_sqlite_buyers() {
    let check = property::never_oversells(&fixed::conditional_update::PURCHASE, Backend::Sqlite);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_conditional_update_never_oversells_in_any_schedule_of_two_postgres_buyers() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check = property::never_oversells(&fixed::conditional_update::PURCHASE, Backend::Postgres);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_for_update_never_oversells_in_any_schedule_of_two_postgres_buyers() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check = property::never_oversells(&fixed::for_update::PURCHASE, Backend::Postgres);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p row-locking -- --include-ignored"]
fn fixed_nowait_never_oversells_in_any_schedule_of_two_postgres_buyers() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check = property::never_oversells(&fixed::nowait::PURCHASE, Backend::Postgres);
    assert_eq!(check, Ok(()));
}
