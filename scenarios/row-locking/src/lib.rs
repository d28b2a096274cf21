//! Two customers buy the last item at the same moment: each reads "1 in stock", each
//! writes "0 left" and each gets an order - the shop sold one lamp twice.
//!
//! Run with:
//! - `cargo test -p row-locking` (SQLite; PostgreSQL tests show as ignored)
//! - `scripts/with-postgres cargo test -p row-locking -- --include-ignored` (everything)
//! - `cargo run -- run row-locking` (PostgreSQL variants are skipped without a server)
//! - `scripts/with-postgres cargo run -- run row-locking`

pub mod broken;
pub mod deferred;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod stress;

use lab_kit::db::Backend::{Postgres, Sqlite};
use lab_kit::{Difficulty, Need, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "row-locking",
    title: "The last item sold twice: read, check, write without a lock",
    question: "When must a row be locked inside a transaction, and how - or is a conditional update enough?",
    tags: &[Tag::Sqlite, Tag::Postgres, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Advanced,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken_sqlite",
            role: Role::Broken,
            needs: &[],
            run: || run::story(&broken::PURCHASE, Sqlite, run::READS_FIRST),
        },
        Variant {
            name: "broken_postgres",
            role: Role::Broken,
            needs: &[Need::Postgres],
            run: || run::story(&broken::PURCHASE, Postgres, run::PG_READS_FIRST),
        },
        Variant {
            name: "fixed_immediate",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::immediate::PURCHASE, Sqlite, run::BEGIN_WAITS),
        },
        Variant {
            name: "fixed_conditional_update_sqlite",
            role: Role::Fix,
            needs: &[],
            run: || {
                run::story(
                    &fixed::conditional_update::PURCHASE,
                    Sqlite,
                    run::READS_FIRST,
                )
            },
        },
        Variant {
            name: "fixed_conditional_update_postgres",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || {
                run::story(
                    &fixed::conditional_update::PURCHASE,
                    Postgres,
                    run::PG_READS_FIRST,
                )
            },
        },
        Variant {
            name: "fixed_for_update",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || run::story(&fixed::for_update::PURCHASE, Postgres, run::PG_LOCKING_READ),
        },
        Variant {
            name: "fixed_nowait",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || run::story(&fixed::nowait::PURCHASE, Postgres, run::PG_READ_REFUSED),
        },
    ],
    bench: None,
    twin: lab_kit::Twin::Facts(&[
        "orders",
        "final_stock",
        "lost_updates",
        "customers_told",
        "steps_that_waited",
        "locking_clause",
    ]),
};
