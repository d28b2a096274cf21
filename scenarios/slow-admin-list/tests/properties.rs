//! What a fix must pass: on every generated table of orders (a fixed seed, so the same
//! tables every run), walking the list - and a search's results - page by page with the
//! next links, every page shows the right orders and a true count, and makes SQLite scan
//! no more rows than a page needs. A copy of the broken change list fails each of these.
//! This file travels with the homework export and grades it.

use proptest::prelude::*;
use slow_admin_list::fixed;
use slow_admin_list::model::Admin;
use slow_admin_list::property::{CASES, Case, MAX_ORDERS, Pick, pages_hold};

const FIXED: Admin = Admin {
    migrate: fixed::migrate,
    change_list: fixed::change_list,
};

/// Tables of up to 2500 orders from any of a thousand seeds, no search.
fn tables() -> impl Strategy<Value = Case> {
    (0..=MAX_ORDERS, 0..1_000_u64).prop_map(|(orders, seed)| Case {
        orders,
        seed,
        search: None,
    })
}

/// Tables of up to 2500 orders and a search for part of one customer's name.
fn searches() -> impl Strategy<Value = Case> {
    let pick = (
        any::<usize>(),
        0..2_usize,
        0..8_usize,
        3..=8_usize,
        any::<u8>(),
    )
        .prop_map(|(order, word, start, len, upper)| Pick {
            order,
            word,
            start,
            len,
            upper,
        });
    (1..=MAX_ORDERS, 0..1_000_u64, pick).prop_map(|(orders, seed, pick)| Case {
        orders,
        seed,
        search: Some(pick),
    })
}

/// Asserts that the fix holds on every case `strategy` draws, failing with the shrunk
/// case that breaks it.
#[track_caller]
fn check(strategy: impl Strategy<Value = Case>) {
    let found =
        lab_kit::property::minimal_counterexample(&strategy, CASES, |case| pages_hold(FIXED, case));
    if let Some((case, reason)) = found {
        panic!("{reason}\non {case:?}");
    }
}

#[test]
fn fixed_pages_through_any_orders_reading_only_what_each_page_needs() {
    check(tables());
}

#[test]
fn fixed_pages_through_any_search_reading_only_what_each_page_needs() {
    check(searches());
}
