//! Snapshots and verdicts of every variant, and the property over random follow graphs.

use double_counted_annotations::{CountQuery, Graph, SCENARIO, broken, fixed, matches_truth};
use lab_kit::{Outcome, Report};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let variant = SCENARIO.variant(name).expect("the variant is registered");
    let Outcome::Ran(report) = (variant.run)().expect("the variant runs") else {
        panic!("{name} needs nothing this machine lacks, yet it was skipped");
    };
    assert_eq!(report.pitfall_observed, pitfall_expected, "{report:#?}");
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

/// Random graphs of up to six users and a dozen follows.
fn graphs() -> impl Strategy<Value = Graph> {
    (1..=6_usize).prop_flat_map(|n| {
        proptest::collection::vec((0..n, 0..n), 0..=12).prop_map(move |edges| {
            let users = (0..n).map(|i| format!("u{i}")).collect();
            Graph::new(users, edges)
        })
    })
}

proptest! {
    #[test]
    fn fixed_distinct_matches_truth_for_any_graph(graph in graphs()) {
        prop_assert_eq!(matches_truth(fixed::follow_counts_distinct, &graph), Ok(()));
    }

    #[test]
    fn fixed_subquery_matches_truth_for_any_graph(graph in graphs()) {
        prop_assert_eq!(matches_truth(fixed::follow_counts_subquery, &graph), Ok(()));
    }
}

/// Runs the property against `query` with a fixed seed and returns the shrunk failing
/// graph, if any.
fn minimal_counterexample(query: CountQuery) -> Option<(Graph, String)> {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    match runner.run(&graphs(), |graph| {
        matches_truth(query, &graph).map_err(TestCaseError::fail)
    }) {
        Ok(()) => None,
        Err(TestError::Fail(reason, graph)) => Some((graph, reason.to_string())),
        Err(TestError::Abort(reason)) => panic!("the property aborted: {reason}"),
    }
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (graph, reason) =
        minimal_counterexample(broken::follow_counts).expect("the broken query must fail");
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

#[test]
fn fixes_have_no_counterexample_under_the_same_seed() {
    assert_eq!(minimal_counterexample(fixed::follow_counts_distinct), None);
    assert_eq!(minimal_counterexample(fixed::follow_counts_subquery), None);
}
