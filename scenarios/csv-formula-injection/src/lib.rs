//! A CSV export writes the cells users typed exactly as they typed them: the csv crate
//! quotes them correctly, yet a spreadsheet evaluates every cell that starts with `=`,
//! `+`, `-` or `@`, so a typed-in formula runs on the machine of whoever opens the
//! export. The fix writes such cells with a leading `'`.
//!
//! Run with:
//! - `cargo test -p csv-formula-injection`
//! - `cargo run -- run csv-formula-injection`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod spreadsheet;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "csv-formula-injection",
    title: "Typed-in cells run as formulas when a spreadsheet opens a CSV export",
    question: "How do you export user-entered data to CSV so that opening it in a spreadsheet is safe?",
    tags: &[Tag::Sqlite, Tag::Security],
    difficulty: Difficulty::Beginner,
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
    bench: None,
    twin: Twin::Facts(&[
        "formulas_evaluated",
        "read_as_numbers",
        "written_with_a_leading_quote",
        "cells_not_written_or_shown_as_typed",
    ]),
};
