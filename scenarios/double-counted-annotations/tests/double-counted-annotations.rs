//! Snapshots and verdicts of every variant on the seed graph, the SQL each fix sends, and
//! the broken query's shrunk counterexample (the checks that grade a fix are in
//! `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use double_counted_annotations::model::Graph;
use double_counted_annotations::property::{MAX_FOLLOWS, MAX_USERS, matches_truth, numbered_graph};
use double_counted_annotations::{SCENARIO, broken, fixed};
use lab_kit::Report;
use proptest::prelude::*;

fn user<'a>(report: &'a Report, name: &str) -> &'a serde_json::Value {
    report.observations["users"]
        .as_array()
        .expect("users is a list")
        .iter()
        .find(|u| u["user"] == name)
        .expect("the user is in the report")
}

#[test]
fn broken_counts_following_times_followers() {
    let report = lab_kit::check!(SCENARIO, "broken");
    // ada follows three and has two followers: both counts come back as 3 x 2.
    let ada = user(&report, "ada");
    assert_eq!(
        (ada["following"].as_i64(), ada["true_following"].as_i64()),
        (Some(6), Some(3))
    );
    assert_eq!(
        (ada["followers"].as_i64(), ada["true_followers"].as_i64()),
        (Some(6), Some(2))
    );
    // Users with at most one edge on one side come out right, which hides the bug.
    assert_eq!(
        report.observations["wrong_users"],
        serde_json::json!(["ada", "bob"])
    );
}

#[test]
fn fixed_distinct_matches_the_truth() {
    let report = lab_kit::check!(SCENARIO, "fixed_distinct");
    assert_eq!(user(&report, "ada")["following"], 3);
}

#[test]
fn fixed_subquery_matches_the_truth() {
    let report = lab_kit::check!(SCENARIO, "fixed_subquery");
    assert_eq!(user(&report, "ada")["followers"], 2);
}

#[test]
fn fixed_distinct_counts_the_columns_django_counts_not_the_through_rows_id() {
    // Django's SQL for `Count("following", distinct=True)` and `Count("followers",
    // distinct=True)`: DISTINCT over the counted foreign keys.
    for counted in [
        "COUNT(DISTINCT app_user_following.to_user_id)",
        "COUNT(DISTINCT T4.from_user_id)",
    ] {
        assert!(fixed::distinct::SQL.contains(counted), "{counted}");
    }
    assert!(!fixed::distinct::SQL.contains(".id)"));
    // The same joins as the broken query: only the COUNTs differ.
    let joins = |sql: &str| sql.split_once("FROM").map(|(_, rest)| rest.to_owned());
    assert_eq!(joins(fixed::distinct::SQL), joins(broken::SQL));
}

/// Random graphs of up to six users and a dozen follows (the same space as
/// `properties.rs`).
fn graphs() -> impl Strategy<Value = Graph> {
    (1..=MAX_USERS).prop_flat_map(|n| {
        proptest::collection::vec((0..n, 0..n), 0..=MAX_FOLLOWS)
            .prop_map(move |edges| numbered_graph(n, edges))
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (graph, reason) = lab_kit::property::minimal_counterexample(&graphs(), 256, |graph| {
        matches_truth(broken::follow_counts, graph)
    })
    .expect("the broken query must fail");
    // The smallest graph that breaks it: one user with two edges on one side and one on
    // the other. Fewer edges can never multiply.
    assert_eq!(graph.follows.len(), 3, "{graph:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({
            "users": graph.users,
            "follows": graph.describe_follows(),
            "failure": reason,
        })
    );
}
