//! A partial save (`save(update_fields=[...])`) writes the changed columns but not
//! `updated_at`, so the ETag, `Last-Modified` and page cache built on it never move: the
//! browser gets `304 Not Modified` and new visitors get the cached page, both stale.
//!
//! Run with:
//! - `cargo test -p stale-update-fields`
//! - `cargo run -- run stale-update-fields`

pub mod app;
pub mod broken;
pub mod browser;
pub mod fixed;
pub mod guard;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "stale-update-fields",
    title: "Partial saves leave updated_at behind and caches serve stale pages",
    question: "Why do clients keep seeing old content after updates started saving only the changed fields?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run("broken", broken::save_fields),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run("fixed", fixed::save_fields),
        },
    ],
    bench: None,
    twin: lab_kit::Twin::Facts(&[
        "update_columns",
        "updated_at",
        "validators",
        "revalidation",
        "new_visitor",
        "stored_body",
        "stale_readers",
    ]),
};
