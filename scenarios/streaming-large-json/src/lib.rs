//! A JSON export that serialises the whole array in memory before answering: the heap
//! grows with the table and the first byte leaves only after the last row was read. The
//! fix streams rows from a SQLite cursor through serde_json in chunks of one array, with
//! backpressure, and stops reading when the client leaves; both send the same bytes as
//! Django's `JsonResponse`.
//!
//! Run with:
//! - `cargo test -p streaming-large-json`
//! - `cargo run -- run streaming-large-json`
//! - `cargo run --release -- bench streaming-large-json`

pub mod bench;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "streaming-large-json",
    title: "A JSON export serialised whole in memory vs one streamed from a cursor",
    question: "How do you serve a JSON response of many megabytes (a whole table as an array) without holding it in memory?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Performance],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run_variant("broken", broken::export),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run_variant("fixed", fixed::export),
        },
    ],
    bench: Some(bench::run),
    twin: Twin::Facts(&[
        "bodies",
        "first_byte_only_after_last_row",
        "heap_grows_with_rows",
    ]),
};
