//! A list page runs one query for its rows and then, from the template, one more per row
//! for each relation it shows: 101 queries for 50 articles with their author and tags.
//! The fixes load the relations with the rows - a join, or one batched query per
//! relation - and the page costs the same few queries at any size.
//!
//! Run with:
//! - `cargo test -p n-plus-one`
//! - `cargo run -- run n-plus-one`
//! - `cargo run --release -- bench n-plus-one`

pub mod app;
pub mod bench;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod orm;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "n-plus-one",
    title: "A list page that runs a query per row for every relation it shows",
    question: "Why does a list page get slower with every row it shows, and how do you load it in a fixed number of queries?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Orm, Tag::Performance],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::articles),
        },
        Variant {
            name: "fixed_select_related",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::select_related::articles),
        },
        Variant {
            name: "fixed_prefetch_related",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::prefetch_related::articles),
        },
    ],
    bench: Some(bench::run),
    twin: lab_kit::Twin::Facts(&["query_counts", "sql", "page"]),
};
