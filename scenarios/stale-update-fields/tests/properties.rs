//! What a fix must pass: the guard finds no partial save that leaves `updated_at` behind,
//! and after every generated sequence of partial edits (a fixed seed, so the same edits
//! every run) both readers see the row. A copy of the broken save fails each of these.
//! This file travels with the homework export and grades it.

use proptest::prelude::*;
use stale_update_fields::model::Edit;
use stale_update_fields::property::{
    CASES, MAX_EDITS, MAX_PAUSE_MICROS, TEXT, readers_see_the_row,
};
use stale_update_fields::{fixed, guard};

#[test]
fn fixed_partial_saves_always_write_updated_at() {
    let findings = guard::audit_partial_save(fixed::save_fields).expect("the audit runs");
    assert!(findings.is_empty(), "{findings:#?}");
}

/// Up to four edits, each changing a random subset of the fields to short random text,
/// a microsecond to three seconds after the previous one.
fn edit_sequences() -> impl Strategy<Value = Vec<Edit>> {
    let text = || proptest::option::of(TEXT);
    let edit = (1..MAX_PAUSE_MICROS, text(), text()).prop_map(|(after_micros, title, body)| Edit {
        after_micros,
        title,
        body,
    });
    proptest::collection::vec(edit, 1..=MAX_EDITS)
}

#[test]
fn fixed_readers_always_see_the_row_after_any_partial_edits() {
    let found = lab_kit::property::minimal_counterexample(&edit_sequences(), CASES, |edits| {
        readers_see_the_row(fixed::save_fields, edits)
    });
    if let Some((edits, reason)) = found {
        panic!("{reason}\nafter the edits: {edits:#?}");
    }
}
