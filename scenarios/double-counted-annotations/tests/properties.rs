//! The property over random follow graphs: every fix equals the truth computed from the
//! edge list; the broken query fails it, and its shrunk counterexample is pinned. This file
//! travels with the homework export and grades a candidate's fixes.

use double_counted_annotations::{CountQuery, Graph, broken, fixed, matches_truth};
use proptest::prelude::*;

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
    // No regression files: a failure is reported, never written into the source tree.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_distinct_matches_truth_for_any_graph(graph in graphs()) {
        prop_assert_eq!(matches_truth(fixed::distinct::follow_counts, &graph), Ok(()));
    }

    #[test]
    fn fixed_subquery_matches_truth_for_any_graph(graph in graphs()) {
        prop_assert_eq!(matches_truth(fixed::subquery::follow_counts, &graph), Ok(()));
    }
}

/// Runs the property against `query` with a fixed seed and returns the shrunk failing
/// graph, if any.
fn minimal_counterexample(query: CountQuery) -> Option<(Graph, String)> {
    lab_kit::property::minimal_counterexample(&graphs(), 256, |graph| matches_truth(query, graph))
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
    assert_eq!(minimal_counterexample(fixed::distinct::follow_counts), None);
    assert_eq!(minimal_counterexample(fixed::subquery::follow_counts), None);
}
