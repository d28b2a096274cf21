//! The property of the pre-merge step over random migration graphs: whatever a step lets
//! through lands cleanly. Both fixes hold; the broken step fails and its shrunk
//! counterexample is pinned. This file travels with the homework export and grades a
//! candidate's fixes.

use migration_rebase_conflict::{BeforeMerge, Spec, broken, fixed, lands_cleanly};
use proptest::prelude::*;
use proptest::sample::Index;
use serde_json::json;

/// Random migration graphs: `0001_m0` is the root, and every later migration depends on
/// one or two earlier ones, so a graph can fork (several leaves) but never cycles. Up to
/// seven migrations.
///
/// The parent choices come first and the length second, so that shrinking first moves
/// every parent to `0001_m0` and then cuts the graph to the shortest failing prefix (a
/// vec whose elements are reinterpreted when one is deleted shrinks badly).
fn graphs() -> impl Strategy<Value = Vec<Spec>> {
    let picks = proptest::collection::vec(proptest::collection::vec(any::<Index>(), 1..=2), 6);
    (picks, 1..=7_usize).prop_map(|(picks, len)| {
        let name = |i: usize| format!("{:04}_m{i}", i + 1);
        (0..len)
            .map(|i| {
                let mut depends_on: Vec<String> = if i == 0 {
                    Vec::new()
                } else {
                    picks[i - 1].iter().map(|p| name(p.index(i))).collect()
                };
                depends_on.sort();
                depends_on.dedup();
                Spec {
                    name: name(i),
                    depends_on,
                }
            })
            .collect()
    })
}

proptest! {
    // No regression files: a failure is reported, never written into the source tree.
    #![proptest_config(ProptestConfig { cases: 128, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_merge_migration_lands_cleanly_for_any_graph(specs in graphs()) {
        prop_assert_eq!(lands_cleanly(fixed::merge_migration::before_merge, &specs), Ok(()));
    }

    #[test]
    fn fixed_ci_guard_lands_cleanly_for_any_graph(specs in graphs()) {
        prop_assert_eq!(lands_cleanly(fixed::ci_guard::before_merge, &specs), Ok(()));
    }
}

/// Runs the property against `before_merge` with a fixed seed and returns the shrunk
/// failing graph, if any.
fn minimal_counterexample(before_merge: BeforeMerge) -> Option<(Vec<Spec>, String)> {
    lab_kit::property::minimal_counterexample(&graphs(), 256, |specs| {
        lands_cleanly(before_merge, specs)
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (specs, reason) =
        minimal_counterexample(broken::before_merge).expect("the broken step must fail");
    // The smallest fork: a root and two children of it - the story's shape exactly.
    assert_eq!(specs.len(), 3, "{specs:?}");
    assert!(
        reason.contains("conflicting migrations detected"),
        "{reason}"
    );
    let graph: Vec<String> = specs
        .iter()
        .map(|s| format!("{} <- [{}]", s.name, s.depends_on.join(", ")))
        .collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({ "migrations": graph, "failure": reason })
    );
}

#[test]
fn fixes_have_no_counterexample_under_the_same_seed() {
    assert!(minimal_counterexample(fixed::merge_migration::before_merge).is_none());
    assert!(minimal_counterexample(fixed::ci_guard::before_merge).is_none());
}
