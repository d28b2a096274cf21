//! A validator lives in the application: `full_clean()` runs it, but `save()`,
//! `bulk_create()` and `update()` do not, so those paths store rows the form would have
//! refused. The fix puts the rules in the table as CHECK constraints (a regex one through
//! a `REGEXP` function registered on the connection), and the caller gets the
//! `IntegrityError` instead.
//!
//! Run with:
//! - `cargo test -p db-level-validation`
//! - `cargo run -- run db-level-validation`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod paths;
pub mod property;
pub mod regexp;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "db-level-validation",
    title: "Validators do not run on bulk writes: invalid rows in the table",
    question: "Why does the table hold rows that break the model's validators, and how do you make the database itself enforce a field's validation?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::SCHEMA),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::SCHEMA),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["schema", "outcomes", "sql", "rows", "invalid_rows"]),
};
