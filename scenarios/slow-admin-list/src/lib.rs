//! An admin list of a million orders reads all of them for every page of a hundred: an
//! exact `COUNT(*)` (twice), `ORDER BY` a column nothing indexes, `OFFSET` for deep pages
//! and `LIKE '%word%'` for the search. The fix indexes the order and seeks to each page,
//! caps the count, and searches a full-text index; `EXPLAIN QUERY PLAN` and SQLite's own
//! counters show the difference.
//!
//! Run with:
//! - `cargo test -p slow-admin-list`
//! - `cargo run -- run slow-admin-list`
//! - `cargo run --release -- bench slow-admin-list`

pub mod app;
pub mod bench;
pub mod broken;
pub mod browser;
pub mod fixed;
pub mod model;
pub mod probe;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

use crate::model::Admin;

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "slow-admin-list",
    title: "An admin list that reads every row to show a hundred",
    question: "Why does the Django admin list of a large table get slow, and what makes its pages cheap again?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Orm, Tag::Performance],
    difficulty: Difficulty::Advanced,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || {
                let admin = Admin {
                    migrate: broken::migrate,
                    change_list: broken::change_list,
                };
                run::run("broken", admin)
            },
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || {
                let admin = Admin {
                    migrate: fixed::migrate,
                    change_list: fixed::change_list,
                };
                run::run("fixed", admin)
            },
        },
    ],
    bench: Some(bench::run),
    twin: Twin::Facts(&["sql", "plans", "shown"]),
};
