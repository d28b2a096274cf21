//! Two workers take "the oldest pending job" at the same moment: each reads job 1, each
//! claims it by id, and each runs it - the customer gets the same invoice e-mail twice
//! while job 2 waits.
//!
//! Run with:
//! - `cargo test -p job-queue-skip-locked` (SQLite; PostgreSQL tests show as ignored)
//! - `scripts/with-postgres cargo test -p job-queue-skip-locked -- --include-ignored`
//!   (everything)
//! - `cargo run -- run job-queue-skip-locked` (PostgreSQL variants are skipped without a
//!   server)
//! - `scripts/with-postgres cargo run -- run job-queue-skip-locked`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod stress;

use lab_kit::db::Backend::{Postgres, Sqlite};
use lab_kit::{Difficulty, Need, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "job-queue-skip-locked",
    title: "One job run twice: two workers read, then claim, the same oldest job",
    question: "How do several workers take jobs from a database table without two of them running the same job?",
    tags: &[Tag::Sqlite, Tag::Postgres, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Advanced,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken_sqlite",
            role: Role::Broken,
            needs: &[],
            run: || run::story(&broken::WORKER, Sqlite, run::PICKS_FIRST),
        },
        Variant {
            name: "broken_postgres",
            role: Role::Broken,
            needs: &[Need::Postgres],
            run: || run::story(&broken::WORKER, Postgres, run::PG_PICKS_FIRST),
        },
        Variant {
            name: "fixed_skip_locked",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || run::story(&fixed::skip_locked::WORKER, Postgres, run::PG_PICKS_FIRST),
        },
        Variant {
            name: "fixed_claim_update_sqlite",
            role: Role::Fix,
            needs: &[],
            run: || run::story(&fixed::claim_update::WORKER, Sqlite, run::PICKS_FIRST),
        },
        Variant {
            name: "fixed_claim_update_postgres",
            role: Role::Fix,
            needs: &[Need::Postgres],
            run: || {
                let retry = run::PG_PICKS_FIRST_THEN_RETRY;
                run::story(&fixed::claim_update::WORKER, Postgres, retry)
            },
        },
    ],
    bench: None,
    twin: lab_kit::Twin::Facts(&[
        "runs",
        "jobs_run_twice",
        "jobs_never_run",
        "steps_that_waited",
        "locking_clause",
    ]),
};
