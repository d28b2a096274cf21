//! A text column that allows NULL has two empty values, NULL and '': `filter(x="")`
//! misses the NULL rows, `filter(x__isnull=True)` misses the '' rows, counts of "empty"
//! disagree, and a UNIQUE column takes any number of NULLs but only one ''. The fix gives
//! each column one empty value and lets the database keep it.
//!
//! Run with:
//! - `cargo test -p nullable-charfield`
//! - `cargo run -- run nullable-charfield`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "nullable-charfield",
    title: "A nullable text field has two empty values",
    question: "Why is null=True on a CharField a bad idea, and when is it still the right choice?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::STORAGE),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::STORAGE),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "schema",
        "stored",
        "refused",
        "sql",
        "without_nickname",
        "without_email",
        "empty_counts",
    ]),
};
