//! Two `COUNT`s over two joins of the same table multiply each other: a user who follows
//! three people and has two followers is reported as following six and followed by six.
//!
//! Run with:
//! - `cargo test -p double-counted-annotations`
//! - `cargo run -- run double-counted-annotations`
//! - `cargo run --release -- bench double-counted-annotations`

pub mod bench;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "double-counted-annotations",
    title: "Two counts over two joins multiply each other",
    question: "Why does annotating a queryset with two Counts over different relations give inflated numbers?",
    tags: &[Tag::Sqlite, Tag::Orm, Tag::Performance],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run("broken", broken::follow_counts),
        },
        Variant {
            name: "fixed_distinct",
            role: Role::Fix,
            needs: &[],
            run: || run::run("fixed_distinct", fixed::distinct::follow_counts),
        },
        Variant {
            name: "fixed_subquery",
            role: Role::Fix,
            needs: &[],
            run: || run::run("fixed_subquery", fixed::subquery::follow_counts),
        },
    ],
    bench: Some(bench::run),
    twin: lab_kit::Twin::Facts(&["users", "wrong_users", "sql"]),
};
