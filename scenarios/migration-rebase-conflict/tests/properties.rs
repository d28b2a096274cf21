//! What a fix must pass: on the story's own branch and on every generated migration graph
//! (a fixed seed, so the same graphs every run), whatever the pre-merge step lets through
//! lands cleanly and it refuses only a branch that forks. A copy of the broken step fails
//! each of these. This file travels with the homework export and grades it.

use migration_rebase_conflict::fixed;
use migration_rebase_conflict::model::{BeforeMerge, Spec, story_specs};
use migration_rebase_conflict::property::{MAX_MIGRATIONS, lands_cleanly, numbered_graph};
use proptest::prelude::*;
use proptest::sample::Index;

/// Random migration graphs: a root, then up to six migrations on one or two earlier ones,
/// so a graph can fork (several leaves) but never cycles. The parent choices come first
/// and the length second, so that shrinking first moves every parent to the root and then
/// cuts the graph to the shortest failing prefix.
fn graphs() -> impl Strategy<Value = Vec<Spec>> {
    let picks = proptest::collection::vec(
        proptest::collection::vec(any::<Index>(), 1..=2),
        MAX_MIGRATIONS - 1,
    );
    (picks, 1..=MAX_MIGRATIONS).prop_map(|(picks, len)| {
        let parents: Vec<Vec<usize>> = (0..len)
            .map(|i| match i {
                0 => Vec::new(),
                _ => picks[i - 1].iter().map(|p| p.index(i)).collect(),
            })
            .collect();
        numbered_graph(&parents)
    })
}

/// Asserts that `before_merge` lands the story's rebased branch and 256 generated
/// branches cleanly, failing with the shrunk branch that breaks it.
#[track_caller]
fn check(before_merge: BeforeMerge) {
    assert_eq!(
        lands_cleanly(before_merge, &story_specs()),
        Ok(()),
        "the story's rebased branch"
    );
    let found = lab_kit::property::minimal_counterexample(&graphs(), 256, |specs| {
        lands_cleanly(before_merge, specs)
    });
    if let Some((specs, reason)) = found {
        panic!("{reason}\non the branch: {specs:#?}");
    }
}

#[test]
fn fixed_merge_migration_lands_cleanly_for_any_graph() {
    check(fixed::merge_migration::before_merge);
}

#[test]
fn fixed_ci_guard_lands_cleanly_for_any_graph() {
    check(fixed::ci_guard::before_merge);
}
