//! A `deleted_at` column hidden by the default query still leaks: a join lists a deleted
//! customer's orders, a count includes deleted orders, a forward foreign key shows a
//! deleted customer, and a deleted customer's address can never sign up again. The fix
//! puts one live-row condition on every table a query reads, makes the unique index
//! partial (`WHERE deleted_at IS NULL`), and cascades delete and undelete to the orders.
//!
//! Run with:
//! - `cargo test -p soft-deletion`
//! - `cargo run -- run soft-deletion`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod truth;
pub mod world;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "soft-deletion",
    title: "Soft-deleted rows leak through joins, counts and foreign keys",
    question: "Why do soft-deleted rows hidden by the default manager still show up through relations, joins and counts, and why can a deleted customer's email not sign up again?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::SHOP),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::SHOP),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["schema", "answers", "reads"]),
};
