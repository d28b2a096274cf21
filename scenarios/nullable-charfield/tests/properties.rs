//! What a fix must pass: on every generated mix of sign-ups (a fixed seed, so the same
//! sign-ups every run) each one is stored and both lists show exactly the users without
//! that field; and a writer that bypasses the save cannot store the other empty value. A
//! copy of the broken code fails each of these. This file travels with the homework
//! export and grades it.

use nullable_charfield::fixed;
use nullable_charfield::model::{self, Signup};
use nullable_charfield::property::{
    CHOICES, MAX_SIGNUPS, lists_match_truth, numbered, one_empty_value_whoever_writes,
};
use proptest::prelude::*;

/// Up to six sign-ups, each field left out, empty, or given.
fn signups() -> impl Strategy<Value = Vec<Signup>> {
    proptest::collection::vec((0..CHOICES, 0..CHOICES), 0..=MAX_SIGNUPS)
        .prop_map(|choices| numbered(&choices))
}

#[test]
fn fixed_lists_exactly_the_users_without_a_value_for_any_signups() {
    assert_eq!(
        lists_match_truth(fixed::STORAGE, &model::seed()),
        Ok(()),
        "the seed"
    );
    let found = lab_kit::property::minimal_counterexample(&signups(), 256, |signups| {
        lists_match_truth(fixed::STORAGE, signups)
    });
    if let Some((signups, reason)) = found {
        let lines: Vec<String> = signups.iter().map(Signup::describe).collect();
        panic!("{reason}\non the sign-ups: {lines:#?}");
    }
}

#[test]
fn fixed_keeps_one_empty_value_per_column_whoever_writes() {
    assert_eq!(one_empty_value_whoever_writes(fixed::STORAGE), Ok(()));
}
