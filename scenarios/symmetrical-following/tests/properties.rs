//! What a fix must pass: on the seed story and on every generated story of follows and
//! unfollows (a fixed seed, so the same stories every run), each user's following and
//! follower counts equal a directed graph's. A copy of the broken code fails it. This
//! file travels with the homework export and grades it.

use proptest::prelude::*;
use symmetrical_following::fixed;
use symmetrical_following::model::Story;
use symmetrical_following::property::{MAX_ACTIONS, MAX_USERS, counts_match_truth, numbered};

/// Up to four users and eight follows or unfollows between them.
fn stories() -> impl Strategy<Value = Story> {
    (2..=MAX_USERS).prop_flat_map(|n| {
        proptest::collection::vec((any::<bool>(), 0..n, 0..n), 0..=MAX_ACTIONS)
            .prop_map(move |actions| numbered(n, &actions))
    })
}

#[test]
fn fixed_counts_match_a_directed_graph_for_any_story() {
    assert_eq!(
        counts_match_truth(fixed::FOLLOWS, &Story::seed()),
        Ok(()),
        "the seed story"
    );
    let found = lab_kit::property::minimal_counterexample(&stories(), 256, |story| {
        counts_match_truth(fixed::FOLLOWS, story)
    });
    if let Some((story, reason)) = found {
        let actions: Vec<String> = story.actions.iter().map(|&a| story.describe(a)).collect();
        panic!("{reason}\nafter: {actions:#?}");
    }
}
