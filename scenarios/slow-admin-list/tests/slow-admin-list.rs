//! Snapshots and verdicts of both variants, what SQLite's plans and counters say about
//! each, the fix's trade-offs, the probe and the request format, and the broken change
//! list's shrunk counterexample (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::Report;
use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::Value;
use slow_admin_list::model::{Admin, COLUMNS, Count, Order, Orders, PER_PAGE, Page, PageRequest};
use slow_admin_list::probe::{Probe, Statement};
use slow_admin_list::property::{CASES, Case, MAX_ORDERS, Pick, pages_hold};
use slow_admin_list::{SCENARIO, broken, fixed};

const BROKEN: Admin = Admin {
    migrate: broken::migrate,
    change_list: broken::change_list,
};
const FIXED: Admin = Admin {
    migrate: fixed::migrate,
    change_list: fixed::change_list,
};

/// Every plan line of the page `label`'s statements, one string per statement.
fn plans(report: &Report, label: &str) -> Vec<String> {
    let plans = report.observations["plans"][label]
        .as_array()
        .expect("plans");
    plans
        .iter()
        .map(|p| {
            serde_json::from_value::<Vec<String>>(p.clone())
                .expect("lines")
                .join(" / ")
        })
        .collect()
}

#[test]
fn broken_reads_every_order_for_every_page() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(o["pages"]["opened"], o["pages"]["over_budget"]);
    // Two exact counts, each visiting all 5000 entries, then a scan and a sort.
    for label in ["page 1", "page 50", "search page 1"] {
        let page = plans(&report, label).pop().expect("statements");
        assert_eq!(
            page, "SCAN app_order / USE TEMP B-TREE FOR ORDER BY",
            "{label}"
        );
    }
    let work = &o["work"]["page 1"]["statements"];
    assert_eq!(work[0]["counted_entries"], 5000);
    assert_eq!(work[1]["counted_entries"], 5000);
    // The index on `customer` cannot find `%Hopper%`: the count reads all of it.
    assert_eq!(
        plans(&report, "search page 1")[0],
        "SCAN app_order USING COVERING INDEX app_order_customer_24496ad5"
    );
    assert_eq!(
        o["work"]["search page 1"]["statements"][0]["full_scan_steps"],
        4999
    );
    // The deep page is an OFFSET: the sort's output is built and skipped up to it.
    let deep = o["sql"]["page 50"][2].as_str().expect("sql");
    assert!(deep.ends_with("LIMIT 100 OFFSET 4900"), "{deep}");
    let steps = |label: &str| o["work"][label]["statements"][2]["vm_steps"].as_u64();
    assert!(steps("page 50") > steps("page 1"));
}

#[test]
fn fixed_reads_only_what_each_page_needs() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["pages"]["over_budget"], 0);
    assert_eq!(
        plans(&report, "page 1")[1],
        "SCAN app_order USING INDEX app_order_created_at"
    );
    for label in ["page 2", "page 50"] {
        assert_eq!(
            plans(&report, label)[1],
            "SEARCH app_order USING INDEX app_order_created_at (created_at<?)"
        );
        assert_eq!(o["work"][label]["statements"][1]["full_scan_steps"], 0);
    }
    // The search reads the full-text index, then sorts only the matches.
    assert!(plans(&report, "search page 1")[1].contains("VIRTUAL TABLE INDEX 0:M1"));
    assert_eq!(o["shown"]["page 1"]["count"], "more than 1000 orders");
    assert_eq!(o["shown"]["search page 1"]["count"], "205 orders");
    assert_eq!(o["shown"]["page 50"]["next"], Value::Null);
}

/// A table of `orders` orders after `admin`'s migration, with a probe on it.
fn migrated(admin: Admin, orders: usize) -> (Connection, Probe) {
    let mut conn = lab_kit::sqlite::memory().expect("a database");
    Orders::generate(orders, 7).load(&conn).expect("loaded");
    (admin.migrate)(&conn).expect("migrated");
    let probe = Probe::attach(&mut conn).expect("probed");
    (conn, probe)
}

#[test]
fn a_key_condition_written_as_one_or_makes_sqlite_scan_from_the_top() {
    // The textbook `a < ? OR (a = ? AND id < ?)`, each value its own parameter (as Django
    // sends it): SQLite cannot merge the two comparisons into a range, so it reads the
    // index from the newest order down to the key. The fix's `a <= ? AND (...)` seeks.
    let (conn, probe) = migrated(FIXED, 3000);
    let mut stmt = conn
        .prepare(
            "SELECT id FROM app_order WHERE created_at < ? OR (created_at = ? AND id < ?) \
             ORDER BY created_at DESC, id DESC LIMIT 101",
        )
        .expect("prepared");
    let key = "2024-03-01 00:05:00";
    let ids: Vec<i64> = stmt
        .query_map((key, key, 1_000), |r| r.get(0))
        .expect("ran")
        .collect::<Result<_, _>>()
        .expect("rows");
    drop(stmt);
    assert_eq!(ids.len(), 101);
    let ran = probe.take(&conn).expect("described");
    assert_eq!(
        ran[0].plan,
        ["SCAN app_order USING COVERING INDEX app_order_created_at"]
    );
    assert!(ran[0].full_scan_steps > 1_000, "{:?}", ran[0]);
}

/// The fix with its key cut down to `created_at`: the next page starts after the whole
/// second of the last order shown.
fn key_without_id(conn: &Connection, request: &PageRequest) -> rusqlite::Result<Page> {
    let Some((created_at, _)) = request.get("after").and_then(|a| a.rsplit_once(',')) else {
        return fixed::change_list(conn, request);
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM app_order WHERE created_at < ?1 \
         ORDER BY created_at DESC, id DESC LIMIT 101"
    );
    let mut stmt = conn.prepare(&sql)?;
    let mut orders: Vec<Order> = stmt
        .query_map([created_at], Order::from_row)?
        .collect::<Result<_, _>>()?;
    let next = (orders.len() > PER_PAGE).then(|| {
        orders.truncate(PER_PAGE);
        let last = &orders[PER_PAGE - 1];
        request.with("after", format!("{},{}", last.created_at, last.id))
    });
    let count = Count::MoreThan(0);
    Ok(Page {
        orders,
        count,
        total: None,
        next,
    })
}

#[test]
fn a_key_without_the_id_skips_orders_that_share_a_second() {
    let admin = Admin {
        migrate: fixed::migrate,
        change_list: key_without_id,
    };
    let (_, reason) =
        lab_kit::property::minimal_counterexample(&tables(), CASES, |c| pages_hold(admin, c))
            .expect("the property finds the skipped orders");
    assert!(reason.contains("page 2 shows"), "{reason}");
}

#[test]
fn fixed_search_finds_an_order_placed_after_the_migration() {
    let (conn, _probe) = migrated(FIXED, 200);
    conn.execute(
        "INSERT INTO app_order (reference, customer, total_cents, created_at) \
         VALUES ('ORD-NEW', 'Barbara Zuse', 1, '2024-04-01 00:00:00')",
        [],
    )
    .expect("a new order");
    let page = fixed::change_list(&conn, &PageRequest::search("zuse")).expect("a page");
    assert_eq!(page.orders.len(), 1);
    assert_eq!(page.count, Count::Exact(1));
}

#[test]
fn fixed_search_words_of_fewer_than_three_letters_still_scan() {
    // The trade-off: a trigram index has nothing to look up for "zq", so the count reads
    // the table with LIKE, as the broken search does.
    let (conn, probe) = migrated(FIXED, 3000);
    let page = fixed::change_list(&conn, &PageRequest::search("zq")).expect("a page");
    assert!(page.orders.is_empty());
    let ran = probe.take(&conn).expect("described");
    let rows: u64 = ran.iter().map(Statement::rows_scanned).sum();
    assert!(rows >= 3000, "{ran:#?}");
}

#[test]
fn the_probe_sees_a_bare_count_visit_every_entry() {
    let (conn, probe) = migrated(BROKEN, 250);
    let n: i64 = conn
        .query_row("SELECT COUNT(*) FROM app_order", [], |r| r.get(0))
        .expect("counted");
    assert_eq!(n, 250);
    let ran = probe.take(&conn).expect("described");
    // No loop steps through the rows, but the Count instruction visits all of them.
    assert_eq!((ran[0].full_scan_steps, ran[0].counted_entries), (0, 250));
}

#[test]
fn requests_are_written_as_django_writes_its_links() {
    let request = PageRequest::search("Grace Hopper").with("after", "2024-03-01 09:00:00,12");
    let query = request.query_string();
    assert_eq!(query, "?after=2024-03-01+09%3A00%3A00%2C12&q=Grace+Hopper");
    assert_eq!(PageRequest::parse(&query), request);
    assert_eq!(
        Count::parse("more than 1000 orders"),
        Some(Count::MoreThan(1000))
    );
    assert_eq!(Count::parse("1 order"), Some(Count::Exact(1)));
}

/// Tables of up to 2500 orders from any of a thousand seeds, no search (the space
/// `properties.rs` draws from).
fn tables() -> impl Strategy<Value = Case> {
    (0..=MAX_ORDERS, 0..1_000_u64).prop_map(|(orders, seed)| Case {
        orders,
        seed,
        search: None,
    })
}

/// The same with a search for part of one customer's name.
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

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (case, reason) = lab_kit::property::minimal_counterexample(&tables(), CASES, |case| {
        pages_hold(BROKEN, case)
    })
    .expect("the broken change list must fail");
    // Two counts of every order and a scan of every order: a third of the budget in
    // orders is enough.
    assert!(case.orders < 400, "{case:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({ "case": case, "failure": reason })
    );
    let searched = lab_kit::property::minimal_counterexample(&searches(), CASES, |case| {
        pages_hold(BROKEN, case)
    });
    assert!(searched.is_some(), "a search fails too");
}
