//! Snapshots and verdicts of every variant, the SQL forms beside each other, how the two
//! meanings relate on any data (the one-join result within the chained one; DISTINCT
//! removes the repeats but not the wrong blogs), and the broken search's shrunk
//! counterexample (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use chained_filters_multivalued::model::{
    Blog, Dataset, contains_pattern, query_blogs, year_bounds,
};
use chained_filters_multivalued::property::{
    DATES, HEADLINES, MAX_BLOGS, MAX_ENTRIES, lists_each_blog_once, matches_truth, numbered, within,
};
use chained_filters_multivalued::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use rusqlite::Connection;
use serde_json::json;

#[test]
fn broken_lists_b2_and_repeats_the_busy_blog() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    // The documentation's result for the chained form.
    assert_eq!(
        o["docs_example"],
        json!({"rows": ["B1", "B2"], "truth": ["B1"]})
    );
    // B3 has two headlines about Lennon and two entries from 2008: 2 x 2 rows.
    assert_eq!(
        o["busy_blog"]["rows"],
        json!(["B1", "B2", "B3", "B3", "B3", "B3"])
    );
    assert_eq!(o["wrong_blogs"], json!(["B2"]));
    assert_eq!(o["repeated_blogs"], json!(["B3"]));
}

#[test]
fn fixed_one_filter_lists_b1_then_b1_and_b3() {
    let report = lab_kit::check!(SCENARIO, "fixed_one_filter");
    assert_eq!(report.observations["docs_example"]["rows"], json!(["B1"]));
    assert_eq!(
        report.observations["busy_blog"]["rows"],
        json!(["B1", "B3"])
    );
}

#[test]
fn fixed_exists_subquery_lists_b1_then_b1_and_b3() {
    let report = lab_kit::check!(SCENARIO, "fixed_exists_subquery");
    assert_eq!(
        report.observations["busy_blog"]["rows"],
        json!(["B1", "B3"])
    );
}

#[test]
fn the_chained_form_joins_the_entries_twice_and_the_single_form_once() {
    let joins = |sql: &str| sql.matches("INNER JOIN app_entry").count();
    assert_eq!(joins(broken::SQL), 2);
    assert_eq!(joins(fixed::one_filter::SQL), 1);
    assert_eq!(joins(fixed::exists_subquery::SQL), 0);
    // The chained form tests the date on the second join, the single form on the first.
    assert!(broken::SQL.contains("T3.pub_date BETWEEN"));
    assert!(fixed::one_filter::SQL.contains("app_entry.pub_date BETWEEN"));
}

/// The single form without `.distinct()`: `filter(a, b)` alone.
fn single_without_distinct(
    conn: &Connection,
    headline: &str,
    year: i32,
) -> rusqlite::Result<Vec<Blog>> {
    let sql = fixed::one_filter::SQL.replacen("SELECT DISTINCT", "SELECT", 1);
    let [first, last] = year_bounds(year);
    query_blogs(conn, &sql, (contains_pattern(headline), first, last))
}

/// The chained form with `.distinct()`: no repeats, the same wrong blogs.
fn chained_with_distinct(
    conn: &Connection,
    headline: &str,
    year: i32,
) -> rusqlite::Result<Vec<Blog>> {
    let sql = broken::SQL.replacen("SELECT", "SELECT DISTINCT", 1);
    let [first, last] = year_bounds(year);
    query_blogs(conn, &sql, (contains_pattern(headline), first, last))
}

#[test]
fn one_filter_call_alone_still_lists_the_busy_blog_once_per_matching_entry() {
    let data = Dataset::with_busy_blog();
    assert_eq!(
        lists_each_blog_once(single_without_distinct, &data),
        Err(r#"B3 is listed more than once: ["B1", "B3", "B3"]"#.to_owned())
    );
}

#[test]
fn distinct_removes_the_repeats_of_the_chained_form_but_not_b2() {
    let data = Dataset::with_busy_blog();
    assert_eq!(lists_each_blog_once(chained_with_distinct, &data), Ok(()));
    assert_eq!(
        matches_truth(chained_with_distinct, &data),
        Err(r#"listed ["B1", "B2", "B3"], truth ["B1", "B3"]"#.to_owned())
    );
}

/// The space `properties.rs` draws from.
fn data() -> impl Strategy<Value = Dataset> {
    (1..=MAX_BLOGS).prop_flat_map(|blogs| {
        let entry = (0..blogs, 0..HEADLINES.len(), 0..DATES.len());
        proptest::collection::vec(entry, 0..=MAX_ENTRIES)
            .prop_map(move |entries| numbered(blogs, &entries))
    })
}

#[test]
fn the_single_filter_result_is_always_within_the_chained_one() {
    for single in [
        single_without_distinct,
        fixed::one_filter::blogs,
        fixed::exists_subquery::blogs,
    ] {
        let found = lab_kit::property::minimal_counterexample(&data(), 256, |data| {
            within(single, broken::blogs, data)
        });
        assert_eq!(found, None);
    }
}

#[test]
fn the_chained_form_with_distinct_never_repeats_a_blog() {
    let found = lab_kit::property::minimal_counterexample(&data(), 256, |data| {
        lists_each_blog_once(chained_with_distinct, data)
    });
    assert_eq!(found, None);
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (data, reason) = lab_kit::property::minimal_counterexample(&data(), 256, |data| {
        matches_truth(broken::blogs, data)
    })
    .expect("the broken search must fail");
    // One entry alone can never be met twice or by two entries: the smallest failing
    // data set is one blog with two entries.
    assert_eq!(data.entries.len(), 2, "{data:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"blogs": data.blogs, "entries": data.describe(), "failure": reason})
    );
}
