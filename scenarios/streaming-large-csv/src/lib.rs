//! A CSV export that builds the whole file in memory before answering: the heap grows with
//! the table and the first byte leaves only after the last row was read. The fix streams
//! rows from a SQLite cursor through the `csv` crate in chunks, with backpressure, and
//! stops reading when the client leaves.
//!
//! Run with:
//! - `cargo test -p streaming-large-csv`
//! - `cargo run -- run streaming-large-csv`
//! - `cargo run --release -- bench streaming-large-csv`

pub mod bench;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "streaming-large-csv",
    title: "A CSV export built in memory vs one streamed from a cursor",
    question: "How do you serve a CSV export far larger than a few megabytes without running out of memory?",
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
