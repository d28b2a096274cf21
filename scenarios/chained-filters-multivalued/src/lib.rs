//! Across a to-many relation, `filter(a, b)` puts both conditions on one joined row and
//! `filter(a).filter(b)` joins again for the second, so the conditions may be met by
//! different related rows: a search that meant "an entry that is both" lists blogs that
//! have no such entry, and lists some blogs several times.
//!
//! Run with:
//! - `cargo test -p chained-filters-multivalued`
//! - `cargo run -- run chained-filters-multivalued`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "chained-filters-multivalued",
    title: "filter(a, b) and filter(a).filter(b) differ across a to-many relation",
    question: "Why do filter(a, b) and filter(a).filter(b) return different rows when the conditions cross a to-many relation, and which one did you mean?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::blogs),
        },
        Variant {
            name: "fixed_one_filter",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::one_filter::blogs),
        },
        Variant {
            name: "fixed_exists_subquery",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::exists_subquery::blogs),
        },
    ],
    bench: None,
    twin: lab_kit::Twin::Facts(&["sql", "docs_example", "busy_blog"]),
};
