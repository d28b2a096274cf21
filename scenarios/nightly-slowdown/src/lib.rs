//! The nightly purge deletes its old rows in one transaction and holds SQLite's write lock
//! until it commits: every write the site tries meanwhile waits for the whole job (and in
//! rollback-journal mode, once the job outgrows its page cache, every read too). Batches
//! committed one by one, with a pause between them, let each write wait one batch at most.
//!
//! Run with:
//! - `cargo test -p nightly-slowdown`
//! - `cargo run -- run nightly-slowdown`
//! - `cargo run --release -- bench nightly-slowdown`

pub mod app;
pub mod bench;
pub mod broken;
pub mod fixed;
pub mod load;
pub mod model;
pub mod property;
pub mod request;
pub mod run;
pub mod world;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

use crate::model::JournalMode::{Rollback, Wal};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "nightly-slowdown",
    title: "A nightly purge in one transaction that stalls the site",
    question: "Why do responses slow down (or fail) every night at 3 a.m. with the same traffic, when a maintenance job deletes old rows?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Concurrency, Tag::Performance],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::story(&broken::PURGE, Rollback),
        },
        Variant {
            name: "broken_wal",
            role: Role::Broken,
            needs: &[],
            run: || run::story(&broken::PURGE, Wal),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::PURGE, Rollback),
        },
    ],
    bench: Some(bench::run),
    twin: Twin::Facts(&["write_waits", "reads_waited", "deleted"]),
};
