//! What a fix must pass: on the seed story and on every generated hook graph (a fixed
//! seed, so the same graphs every run), one edit stops by itself, writes each row at most
//! once and brings the rows it reaches directly in step. A copy of the broken receiver
//! fails each of these. This file travels with the homework export and grades it.

use proptest::prelude::*;
use signal_recursion::fixed;
use signal_recursion::model::{HookGraph, SyncFn};
use signal_recursion::property::{MAX_HOOKS, MAX_MODELS, numbered_graph, one_write_per_row};

/// Random graphs of two to five models and up to ten hooks.
fn graphs() -> impl Strategy<Value = HookGraph> {
    (2..=MAX_MODELS).prop_flat_map(|n| {
        proptest::collection::vec((0..n, 0..n), 0..=MAX_HOOKS)
            .prop_map(move |hooks| numbered_graph(n, hooks))
    })
}

/// Asserts the property on the seed story and on 256 generated graphs, failing with the
/// shrunk graph that breaks it.
#[track_caller]
fn check(sync: SyncFn) {
    assert_eq!(
        one_write_per_row(sync, &HookGraph::seed()),
        Ok(()),
        "the seed story"
    );
    let found = lab_kit::property::minimal_counterexample(&graphs(), 256, |graph| {
        one_write_per_row(sync, graph)
    });
    if let Some((graph, reason)) = found {
        panic!(
            "{reason}\non the hooks: {}",
            graph.describe_hooks().join(", ")
        );
    }
}

#[test]
fn fixed_direct_update_stops_and_writes_each_row_once_for_any_hook_graph() {
    check(fixed::direct_update::sync_email);
}

#[test]
fn fixed_only_on_change_stops_and_writes_each_row_once_for_any_hook_graph() {
    check(fixed::only_on_change::sync_email);
}
