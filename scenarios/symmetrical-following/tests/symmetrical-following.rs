//! Snapshots and verdicts of both variants on the seed story, the two INSERTs of one
//! follow, and the broken code's shrunk counterexample (the checks that grade a fix are
//! in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::Report;
use proptest::prelude::*;
use serde_json::json;
use symmetrical_following::model::Story;
use symmetrical_following::property::{MAX_ACTIONS, MAX_USERS, counts_match_truth, numbered};
use symmetrical_following::{SCENARIO, broken};

fn user<'a>(report: &'a Report, name: &str) -> &'a serde_json::Value {
    report.observations["users"]
        .as_array()
        .expect("users is a list")
        .iter()
        .find(|u| u["user"] == name)
        .expect("the user is in the report")
}

#[test]
fn broken_writes_the_mirror_row_and_deletes_it_with_the_unfollow() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    // ann follows bob: two inserts in one transaction.
    assert_eq!(
        o["follow_sql"],
        json!([
            "BEGIN",
            "INSERT OR IGNORE INTO app_user_following (from_user_id, to_user_id) VALUES (1, 2)",
            "INSERT OR IGNORE INTO app_user_following (from_user_id, to_user_id) VALUES (2, 1)",
            "COMMIT",
        ])
    );
    assert_eq!(o["phantom_edges"], json!(["ann -> dee", "bob -> ann"]));
    // bob unfollowed cy, and cy's follow of bob went with it.
    assert_eq!(o["lost_edges"], json!(["cy -> bob"]));
    let bob = user(&report, "bob");
    assert_eq!(
        (bob["followers"].as_i64(), bob["true_followers"].as_i64()),
        (Some(1), Some(2))
    );
}

#[test]
fn fixed_writes_one_row_per_follow_and_every_count_is_right() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["follow_sql"].as_array().map(Vec::len), Some(3));
    assert_eq!(o["edges"], json!(["ann -> bob", "cy -> bob", "dee -> ann"]));
    assert_eq!(user(&report, "bob")["followers"], 2);
}

/// The space `properties.rs` draws from.
fn stories() -> impl Strategy<Value = Story> {
    (2..=MAX_USERS).prop_flat_map(|n| {
        proptest::collection::vec((any::<bool>(), 0..n, 0..n), 0..=MAX_ACTIONS)
            .prop_map(move |actions| numbered(n, &actions))
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (story, reason) = lab_kit::property::minimal_counterexample(&stories(), 256, |story| {
        counts_match_truth(broken::FOLLOWS, story)
    })
    .expect("the broken code must fail");
    // One follow between two users is enough: the followee now follows back.
    assert_eq!(story.actions.len(), 1, "{story:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "users": story.users,
            "actions": story.actions.iter().map(|&a| story.describe(a)).collect::<Vec<_>>(),
            "failure": reason,
        })
    );
}
