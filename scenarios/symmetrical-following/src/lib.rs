//! A many-to-many from a model to itself is symmetrical by default: following someone
//! writes the mirror row too (they now follow you), and unfollowing deletes both, so every
//! follower count is wrong. The fix is a directed edge table.
//!
//! Run with:
//! - `cargo test -p symmetrical-following`
//! - `cargo run -- run symmetrical-following`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "symmetrical-following",
    title: "Following someone makes them follow you",
    question: "Why does following a user also make them follow you back when following is a many-to-many to the same model?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::FOLLOWS),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::FOLLOWS),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "schema",
        "follow_sql",
        "unfollow_sql",
        "edges",
        "users",
        "wrong_users",
    ]),
};
