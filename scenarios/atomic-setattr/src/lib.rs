//! An edit applied field by field in a loop, where the setters of to-many fields write at
//! once, is half stored when a later value is refused; one transaction around the loop
//! and the save makes it all or nothing.
//!
//! Run with:
//! - `cargo test -p atomic-setattr`
//! - `cargo run -- run atomic-setattr`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "atomic-setattr",
    title: "Half an edit stored: setters that write, then a value refused",
    question: "Why wrap a loop of attribute assignments (and the save after it) in a transaction?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::update_article),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::update_article),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["after", "error", "changed", "asked_but_unchanged"]),
};
