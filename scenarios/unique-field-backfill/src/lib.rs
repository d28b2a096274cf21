//! A unique UUID field added to a table while the old version of the app keeps writing:
//! the default is evaluated once, so every existing row gets the same value and the unique
//! step fails, and the NOT NULL that comes with `unique=True` breaks the old app's
//! inserts. The fix adds the column nullable, gives each row its own UUID in batches (and
//! each row the old app writes one from the database), then adds a unique index.
//!
//! Run with:
//! - `cargo test -p unique-field-backfill`
//! - `cargo run -- run unique-field-backfill`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod story;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "unique-field-backfill",
    title: "Adding a unique UUID field to a live table: one default, a broken old app",
    question: "How do you add a unique UUID field to a table with rows while the old version of the app keeps writing?",
    tags: &[Tag::Sqlite, Tag::Orm, Tag::Concurrency],
    difficulty: Difficulty::Advanced,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::MIGRATION),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::MIGRATION),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["stories", "sqlite_refuses"]),
};
