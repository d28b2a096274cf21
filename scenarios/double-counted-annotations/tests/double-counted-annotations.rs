//! Snapshots and verdicts of every variant on the seed graph (the properties are in
//! `properties.rs`, which also grades homework).

use double_counted_annotations::SCENARIO;
use lab_kit::Report;

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
    report
}

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
    let report = check("broken", true);
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
    insta::assert_yaml_snapshot!("broken", report);
}

#[test]
fn fixed_distinct_matches_the_truth() {
    let report = check("fixed_distinct", false);
    assert_eq!(user(&report, "ada")["following"], 3);
    insta::assert_yaml_snapshot!("fixed_distinct", report);
}

#[test]
fn fixed_subquery_matches_the_truth() {
    let report = check("fixed_subquery", false);
    assert_eq!(user(&report, "ada")["followers"], 2);
    insta::assert_yaml_snapshot!("fixed_subquery", report);
}
