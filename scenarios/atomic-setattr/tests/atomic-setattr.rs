//! Snapshots and verdicts of both variants on the seed edit, and the broken update's
//! shrunk counterexample (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use atomic_setattr::model::Entry;
use atomic_setattr::property::{FIELDS, all_or_nothing, data_map};
use atomic_setattr::run::apply;
use atomic_setattr::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn broken_stores_the_tags_and_authors_of_an_edit_that_failed() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(
        report.observations["error"],
        "CHECK constraint failed: rating_0_to_5"
    );
    assert_eq!(report.observations["changed"], json!(["tags", "authors"]));
    assert_eq!(
        report.observations["asked_but_unchanged"],
        json!(["title", "rating"])
    );
}

#[test]
fn fixed_stores_nothing_of_an_edit_that_failed() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    assert_eq!(report.observations["after"], report.observations["before"]);
    assert_eq!(report.observations["changed"], json!([]));
}

#[test]
fn broken_keeps_an_earlier_set_when_a_later_set_names_a_missing_row() {
    // Tag 99 does not exist: the foreign key fails when the tags' own transaction commits,
    // which rolls that set back - but the authors' set committed before it stays.
    let data = [
        Entry::Authors(vec![2]),
        Entry::Tags(vec![2, 99]),
        Entry::Title("X".to_owned()),
    ];
    let outcome = apply(broken::update_article, &data).expect("runs");
    assert_eq!(
        outcome.error.as_deref(),
        Some("FOREIGN KEY constraint failed")
    );
    assert_eq!(
        (outcome.after.authors, outcome.after.tags),
        (vec![2], vec![1, 2])
    );
    let outcome = apply(fixed::update_article, &data).expect("runs");
    assert_eq!(
        outcome.error.as_deref(),
        Some("FOREIGN KEY constraint failed")
    );
    assert_eq!(outcome.after, outcome.before);
}

/// The same space as `properties.rs`: up to four fields, one of them bad, anywhere.
fn maps() -> impl Strategy<Value = (Vec<Entry>, usize)> {
    let good = proptest::collection::vec((0..FIELDS, any::<u8>()), 0..=FIELDS);
    (good, (0..FIELDS, any::<u8>()), any::<usize>())
        .prop_map(|(good, bad, at)| data_map(&good, bad, at))
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let ((map, bad), reason) = lab_kit::property::minimal_counterexample(&maps(), 256, |(m, b)| {
        all_or_nothing(broken::update_article, m, *b)
    })
    .expect("the broken update must fail");
    // The smallest edit that breaks it: one to-many field, and one bad value.
    assert_eq!(map.len(), 2, "{map:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "data": map.iter().map(Entry::to_json).collect::<Vec<_>>(),
            "bad_entry": bad,
            "failure": reason,
        })
    );
}
