//! A backup that copies one table after another while the site keeps writing, as
//! `dumpdata` does, holds rows from different moments: an order whose customer is not in
//! it, counts the database never had. One read transaction around the copy, SQLite's
//! online backup API or `VACUUM INTO` each give the database as it was at one moment.
//!
//! Run with:
//! - `cargo test -p backup-consistency`
//! - `cargo run -- run backup-consistency`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod restore;
pub mod run;
pub mod schedule;
pub mod writer;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "backup-consistency",
    title: "A backup dumped table by table that does not restore",
    question: "Why is a dump taken one table at a time while the site keeps writing a bad backup, and how do you take one that restores?",
    tags: &[Tag::Sqlite, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::story(&broken::BACKUP),
        },
        Variant {
            name: "fixed_read_transaction",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::read_transaction::BACKUP),
        },
        Variant {
            name: "fixed_online_backup",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::online_backup::BACKUP),
        },
        Variant {
            name: "fixed_vacuum_into",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::vacuum_into::BACKUP),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["backup_rows", "dangling", "equals_commit"]),
};
