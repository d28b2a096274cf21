//! Snapshots and verdicts of every variant (real git, real SQLite), and the property of
//! the pre-merge step over random migration graphs.

use lab_kit::{Outcome, Report};
use migration_rebase_conflict::{BeforeMerge, SCENARIO, Spec, broken, fixed, lands_cleanly};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, TestError, TestRng, TestRunner};
use serde_json::json;

const LEAF_A: &str = "0003_a_item_color";
const LEAF_B: &str = "0003_b_item_stock";

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let variant = SCENARIO.variant(name).expect("the variant is registered");
    let outcome = (variant.run)()
        .expect("the variant runs; this scenario drives real git, so git 2.28+ must be on PATH");
    let Outcome::Ran(report) = outcome else {
        panic!("{name} needs nothing but git and SQLite, yet it was skipped");
    };
    assert_eq!(report.pitfall_observed, pitfall_expected, "{report:#?}");
    report
}

fn strings(report: &Report, key: &str) -> Vec<String> {
    serde_json::from_value(report.observations[key].clone()).expect("a list of strings")
}

#[test]
fn broken_deploy_refuses_to_migrate_and_names_both_leaves() {
    let report = check("broken", true);
    // Git saw nothing wrong: the rebase and both merges ran, b's tree holds both files.
    assert!(strings(&report, "b_files_after_rebase").contains(&format!("{LEAF_B}.sql")));
    assert_eq!(report.observations["b_merged"], true);
    assert_eq!(strings(&report, "main_leaves"), [LEAF_A, LEAF_B]);
    let error = report.observations["deploy_error"]
        .as_str()
        .expect("the deploy failed");
    assert!(
        error.starts_with("conflicting migrations detected"),
        "{error}"
    );
    assert!(
        error.contains(&format!("({LEAF_A}, {LEAF_B} in shop)")),
        "{error}"
    );
    // Nothing half-applied: the check ran before the database was touched.
    assert_eq!(report.observations["deploy_statements"], json!([]));
    assert_eq!(
        report.observations["applied_before_deploy"],
        report.observations["applied_after_deploy"]
    );
    assert_eq!(
        report.observations["columns_before_deploy"],
        report.observations["columns_after_deploy"]
    );
    assert!(!strings(&report, "columns_after_deploy").contains(&"stock".to_owned()));
    insta::assert_yaml_snapshot!("broken", report);
}

#[test]
fn fixed_merge_migration_lets_the_deploy_apply_both_columns() {
    let report = check("fixed_merge_migration", false);
    let merge = "0004_merge_0003_a_item_color_0003_b_item_stock";
    assert_eq!(strings(&report, "main_leaves"), [merge]);
    assert_eq!(
        report.observations["deploy_applied"],
        json!([LEAF_B, merge])
    );
    let columns = strings(&report, "columns_after_deploy");
    assert_eq!(columns, ["id", "name", "price", "color", "stock"]);
    insta::assert_yaml_snapshot!("fixed_merge_migration", report);
}

#[test]
fn fixed_ci_guard_fails_on_the_rebased_branch_and_main_never_gets_the_conflict() {
    let report = check("fixed_ci_guard", false);
    let pre_merge = report.observations["pre_merge"]
        .as_str()
        .expect("a decision");
    assert!(
        pre_merge.starts_with("refused: conflicting migrations detected"),
        "{pre_merge}"
    );
    assert!(
        pre_merge.contains(&format!("({LEAF_A}, {LEAF_B} in shop)")),
        "{pre_merge}"
    );
    assert_eq!(report.observations["b_merged"], false);
    assert_eq!(strings(&report, "main_leaves"), [LEAF_A]);
    assert_eq!(report.observations["deploy_applied"], json!([]));
    insta::assert_yaml_snapshot!("fixed_ci_guard", report);
}

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
    #![proptest_config(Config { cases: 128, ..Config::default() })]

    #[test]
    fn fixed_merge_migration_lands_cleanly_for_any_graph(specs in graphs()) {
        prop_assert_eq!(lands_cleanly(fixed::before_merge_with_merge_migration, &specs), Ok(()));
    }

    #[test]
    fn fixed_ci_guard_lands_cleanly_for_any_graph(specs in graphs()) {
        prop_assert_eq!(lands_cleanly(fixed::before_merge_with_ci_guard, &specs), Ok(()));
    }
}

/// Runs the property against `before_merge` with a fixed seed and returns the shrunk
/// failing graph, if any.
fn minimal_counterexample(before_merge: BeforeMerge) -> Option<(Vec<Spec>, String)> {
    let config = Config {
        failure_persistence: None,
        ..Config::default()
    };
    let rng = TestRng::deterministic_rng(RngAlgorithm::ChaCha);
    let mut runner = TestRunner::new_with_rng(config, rng);
    match runner.run(&graphs(), |specs| {
        lands_cleanly(before_merge, &specs).map_err(TestCaseError::fail)
    }) {
        Ok(()) => None,
        Err(TestError::Fail(reason, specs)) => Some((specs, reason.to_string())),
        Err(TestError::Abort(reason)) => panic!("the property aborted: {reason}"),
    }
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
    assert!(minimal_counterexample(fixed::before_merge_with_merge_migration).is_none());
    assert!(minimal_counterexample(fixed::before_merge_with_ci_guard).is_none());
}
