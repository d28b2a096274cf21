//! The checks a fix must pass, through nothing but the API every fix shares with
//! `broken.rs` (its `count_visit`): under every schedule of two readers' requests both
//! visits are counted, and one visit counts once even when the request saves the article
//! again. Deterministic - every schedule is run, none is sampled - and each fails for a fix
//! module that is still a copy of `broken.rs`. This file travels with the homework export
//! and grades it; the PostgreSQL check needs a server:
//! `scripts/with-postgres cargo test -p f-expression-race -- --include-ignored`.

use f_expression_race::{fixed, property};
use lab_kit::db::Backend;

const COMMAND: &str = "cargo test -p f-expression-race -- --include-ignored";

#[test]
fn fixed_f_expression_counts_every_visit_once_on_sqlite() {
    let check =
        property::counts_every_visit_once(fixed::f_expression::count_visit, Backend::Sqlite);
    assert_eq!(check, Ok(()));
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p f-expression-race -- --include-ignored"]
fn fixed_f_expression_counts_every_visit_once_on_postgres() {
    lab_kit::postgres::url_for_test(COMMAND);
    let check =
        property::counts_every_visit_once(fixed::f_expression::count_visit, Backend::Postgres);
    assert_eq!(check, Ok(()));
}
