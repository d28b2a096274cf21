//! The guard and the property over random partial edits: the fixed save passes both, the
//! broken one fails them, and its shrunk counterexample is pinned. This file travels with
//! the homework export and grades a candidate's fix.

use proptest::prelude::*;
use stale_update_fields::{Edit, PartialSave, broken, fixed, guard, readers_see_the_row};

#[test]
fn the_guard_flags_the_broken_partial_save_and_passes_the_fix() {
    let findings = guard::audit_partial_save(broken::save_fields).expect("the audit runs");
    // title, body, and title + body: three UPDATEs, none writing updated_at.
    assert_eq!(findings.len(), 3, "{findings:#?}");
    assert!(findings.iter().all(|f| f.contains("without updated_at")));
    let none: Vec<String> = Vec::new();
    assert_eq!(
        guard::audit_partial_save(fixed::save_fields).expect("the audit runs"),
        none
    );
}

/// Up to four edits, each changing a random subset of the fields to short random text,
/// a microsecond to three seconds after the previous one.
fn edit_sequences() -> impl Strategy<Value = Vec<Edit>> {
    let text = || proptest::option::of("[a-z ]{0,8}");
    let edit = (1..3_000_000_i64, text(), text()).prop_map(|(after_micros, title, body)| Edit {
        after_micros,
        title,
        body,
    });
    proptest::collection::vec(edit, 1..=4)
}

/// Few cases: each one starts a server and makes a dozen real requests.
const CASES: u32 = 32;

proptest! {
    // No regression files: a failure is reported, never written into the source tree.
    #![proptest_config(ProptestConfig {
        cases: CASES,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fixed_readers_always_see_the_row_after_any_partial_edits(edits in edit_sequences()) {
        prop_assert_eq!(readers_see_the_row(fixed::save_fields, &edits), Ok(()));
    }
}

/// Runs the property against `save` with a fixed seed and returns the shrunk failing
/// edit sequence, if any.
fn minimal_counterexample(save: PartialSave) -> Option<(Vec<Edit>, String)> {
    lab_kit::property::minimal_counterexample(&edit_sequences(), CASES, |edits| {
        readers_see_the_row(save, edits)
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (edits, reason) =
        minimal_counterexample(broken::save_fields).expect("the broken save must fail");
    // One edit of one field is enough: nothing moves the validators.
    assert_eq!(edits.len(), 1, "{edits:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({ "edits": edits, "failure": reason })
    );
}

#[test]
fn fixed_has_no_counterexample_under_the_same_seed() {
    assert_eq!(minimal_counterexample(fixed::save_fields), None);
}
