//! Snapshots and verdicts of every variant (real git, real SQLite). The property of the
//! pre-merge step over random migration graphs is in `properties.rs`, which also grades
//! homework.

use lab_kit::Report;
use migration_rebase_conflict::SCENARIO;
use serde_json::json;

const LEAF_A: &str = "0003_a_item_color";
const LEAF_B: &str = "0003_b_item_stock";

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
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
