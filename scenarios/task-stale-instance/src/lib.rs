//! A publish view hands a background job the article itself; by the time the worker saves
//! that copy, a colleague's edit has landed, and the save silently overwrites it. The fix
//! sends the id once the publish commits, re-reads the row, and writes only if the row's
//! version is still the one it read.
//!
//! Run with:
//! - `cargo test -p task-stale-instance`
//! - `cargo run -- run task-stale-instance`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod queue;
pub mod run;
pub mod story;
pub mod worker;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "task-stale-instance",
    title: "A background job saves the stale copy it was handed over a newer edit",
    question: "Why should a background task be given a record's id rather than the record itself?",
    tags: &[Tag::Sqlite, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::TYPESET),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::TYPESET),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["stories"]),
};
