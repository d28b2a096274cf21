//! The lab's own checks: snapshots and verdicts of both variants, and broken's shrunk
//! counterexample of the property.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use proptest::prelude::*;
use serde_json::json;
use sql_injection::model::SearchFn;
use sql_injection::property::{CASES, QUERY_TEXT, answers_the_truth, runs_one_constant_sql_text};
use sql_injection::{SCENARIO, broken};

#[test]
fn broken_lists_unpublished_products_and_reads_password_hashes() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(
        o["hidden_products_leaked"],
        json!([
            "Prototype lamp, not for sale",
            "Staff discount list",
            "Winter collection (embargoed)"
        ])
    );
    assert_eq!(o["password_hashes_read"], json!(["admin", "ada"]));
    // The customer's search with an apostrophe breaks: the quote ends the SQL string.
    assert_eq!(o["searches"][1]["status"], 500);
    // Every search that ran had its own SQL text.
    assert_eq!(o["sql_texts"].as_array().expect("a list").len(), 3);
    assert!(
        o["sql_texts"][1]["sql"]
            .as_str()
            .expect("text")
            .contains("LIKE '%' OR 1=1 --%'")
    );
}

#[test]
fn fixed_answers_every_search_with_the_truth_through_one_sql_text() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["hidden_products_leaked"], json!([]));
    assert_eq!(o["password_hashes_read"], json!([]));
    assert_eq!(o["searches"][1]["results"], json!(["Grandma's teapot"]));
    assert_eq!(o["sql_texts"].as_array().expect("a list").len(), 1);
    assert_eq!(o["sql_texts"][0]["runs"], 4);
}

#[test]
fn broken_fails_both_halves_of_the_property_with_minimal_counterexamples() {
    let strategy = QUERY_TEXT.prop_map(|q| q);
    let shrink = |half: fn(SearchFn, &str) -> Result<(), String>| {
        let (q, failure) = lab_kit::property::minimal_counterexample(&strategy, CASES, |q| {
            half(broken::search, q)
        })
        .expect("the broken search must fail");
        json!({"q": q, "failure": failure})
    };
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "answers_the_truth": shrink(answers_the_truth),
            "runs_one_constant_sql_text": shrink(runs_one_constant_sql_text),
        })
    );
}
