//! A product search builds its SQL with `format!`, so a quote in the search box ends the
//! string literal and the rest is SQL: `' OR 1=1 --` lists unpublished products and a
//! `UNION SELECT` reads the users' password hashes. The fix sends one constant SQL text
//! and binds the search text as a parameter.
//!
//! Run with:
//! - `cargo test -p sql-injection`
//! - `cargo run -- run sql-injection`

pub mod app;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "sql-injection",
    title: "A search box that lists hidden rows and reads password hashes",
    question: "Why must a search never format user input into SQL, and how should it send the text instead?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Security],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::search),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::search),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "searches",
        "hidden_products_leaked",
        "password_hashes_read",
        "sql_texts",
    ]),
};
