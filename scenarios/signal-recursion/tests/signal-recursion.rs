//! Snapshots and verdicts of every variant on the seed story, what each fix costs, and the
//! broken receiver's shrunk counterexample (the checks that grade a fix are in
//! `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use proptest::prelude::*;
use serde_json::json;
use signal_recursion::model::{GUARD_DEPTH, HookGraph};
use signal_recursion::property::{MAX_HOOKS, MAX_MODELS, numbered_graph, one_write_per_row};
use signal_recursion::run::one_edit;
use signal_recursion::{SCENARIO, broken, fixed};

#[test]
fn broken_receivers_save_each_other_until_the_guard_stops_them() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(
        report.observations["cycle"],
        json!(["user#1", "profile#1", "user#1"])
    );
    // The guard refused the save that would have been GUARD_DEPTH + 1 deep: the path holds
    // every save that ran and the refused one.
    let path = report.observations["path"].as_array().expect("a path");
    assert_eq!(path.len(), GUARD_DEPTH + 1);
    // Eight saves ran, alternating: the database counted four writes of each row.
    assert_eq!(
        report.observations["row_writes"],
        json!({"profile#1": 4, "user#1": 4})
    );
}

#[test]
fn fixed_direct_update_writes_each_row_once() {
    let report = lab_kit::check!(SCENARIO, "fixed_direct_update");
    assert_eq!(
        report.observations["row_writes"],
        json!({"profile#1": 1, "user#1": 1})
    );
    assert_eq!(report.observations["cycle"], json!(null));
}

#[test]
fn fixed_only_on_change_writes_each_row_once() {
    let report = lab_kit::check!(SCENARIO, "fixed_only_on_change");
    assert_eq!(
        report.observations["row_writes"],
        json!({"profile#1": 1, "user#1": 1})
    );
    // The profile's receiver ran, read the user and found nothing to change.
    let skipped = "depth 2: SELECT email FROM app_user WHERE id = ?1 [1] -> email=ada@new.example";
    assert!(
        report.transcript.iter().any(|l| l == skipped),
        "{report:#?}"
    );
}

#[test]
fn fixed_direct_update_skips_the_receivers_of_the_row_it_writes() {
    // a -> b -> c: saving a updates b without sending post_save, so b's receiver never
    // brings c in step - the price of writing around save(). Comparing first reaches c.
    let chain = HookGraph::new(
        ["a", "b", "c"].map(str::to_owned).to_vec(),
        [(0, 1), (1, 2)],
    );
    let direct = one_edit(fixed::direct_update::sync_email, &chain).expect("runs");
    assert_eq!(direct.emails["c#1"], "ada@old.example");
    let compared = one_edit(fixed::only_on_change::sync_email, &chain).expect("runs");
    assert_eq!(compared.emails["c#1"], "ada@new.example");
}

/// Random graphs of two to five models and up to ten hooks (the same space as
/// `properties.rs`).
fn graphs() -> impl Strategy<Value = HookGraph> {
    (2..=MAX_MODELS).prop_flat_map(|n| {
        proptest::collection::vec((0..n, 0..n), 0..=MAX_HOOKS)
            .prop_map(move |hooks| numbered_graph(n, hooks))
    })
}

#[test]
fn broken_fails_the_property_with_the_smallest_cycle() {
    let (graph, reason) = lab_kit::property::minimal_counterexample(&graphs(), 256, |graph| {
        one_write_per_row(broken::sync_email, graph)
    })
    .expect("the broken receiver must fail");
    // Two models whose receivers save each other: no receiver saves its own model, and
    // one hook alone never comes back.
    assert_eq!(graph.hooks, vec![(0, 1), (1, 0)], "{graph:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "models": graph.models,
            "hooks": graph.describe_hooks(),
            "failure": reason,
        })
    );
}
