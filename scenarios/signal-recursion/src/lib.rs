//! Two post-save receivers keep `user` and `profile` in step by saving each other's
//! model: neither saves its own, yet one edit sets off saves without end, each writing
//! both rows again, until a depth guard (Rust) or `RecursionError` (Python) stops it.
//!
//! Run with:
//! - `cargo test -p signal-recursion`
//! - `cargo run -- run signal-recursion`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod orm;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "signal-recursion",
    title: "Two post-save receivers that save each other's model never stop",
    question: "How can post-save hooks recurse without end when no hook saves its own model, and how do you stop it?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::sync_email),
        },
        Variant {
            name: "fixed_direct_update",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::direct_update::sync_email),
        },
        Variant {
            name: "fixed_only_on_change",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::only_on_change::sync_email),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["path", "cycle", "row_writes", "emails"]),
};
