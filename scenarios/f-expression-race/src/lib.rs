//! A view counter read, incremented in Python and saved loses visits when two requests
//! overlap; `F("views") + 1` lets the database add one to whatever the row holds, and
//! `refresh_from_db()` stops the expression from being applied again by a later save.
//!
//! Run with:
//! - `cargo test -p f-expression-race` (SQLite; PostgreSQL tests show as ignored)
//! - `scripts/with-postgres cargo test -p f-expression-race -- --include-ignored`
//! - `cargo run -- run f-expression-race` (PostgreSQL variants are skipped without a server)

pub mod broken;
pub mod fixed;
pub mod logged;
pub mod model;
pub mod property;
pub mod run;
pub mod stress;

use lab_kit::db::Backend::{Postgres, Sqlite};
use lab_kit::{Difficulty, Need, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "f-expression-race",
    title: "A view counter that loses visits: += 1 in Python, then save()",
    question: "What are F() expressions for - why does a counter incremented in Python and saved lose visits?",
    tags: &[Tag::Sqlite, Tag::Postgres, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken_sqlite",
            role: Role::Broken,
            needs: &[],
            run: || run::story(broken::count_visit, Sqlite, run::READS_FIRST),
        },
        Variant {
            name: "broken_postgres",
            role: Role::Broken,
            needs: &[Need::Postgres],
            run: || run::story(broken::count_visit, Postgres, run::PG_READS_FIRST),
        },
        Variant {
            name: "fixed_f_expression_sqlite",
            role: Role::Fix,
            needs: &[],
            run: || run::story(fixed::f_expression::count_visit, Sqlite, run::READS_FIRST),
        },
        Variant {
            name: "fixed_f_expression_postgres",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || {
                run::story(
                    fixed::f_expression::count_visit,
                    Postgres,
                    run::PG_READS_FIRST,
                )
            },
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "visits",
        "views",
        "lost_visits",
        "steps_that_waited",
        "one_visit_views",
        "one_visit_sql",
    ]),
};
