//! A welcome mail sent from inside the sign-up's transaction goes out for a sign-up that
//! then rolls back, and reaches a provider that looks the new account up before it is
//! committed; sending it once the transaction has committed fixes both - and a test that
//! never commits sees no mail unless it runs the waiting callbacks.
//!
//! Run with:
//! - `cargo test -p email-on-commit`
//! - `cargo run -- run email-on-commit`

pub mod broken;
pub mod fixed;
pub mod mail;
pub mod model;
pub mod property;
pub mod provider;
pub mod run;
pub mod transaction;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "email-on-commit",
    title: "A welcome mail for an account that was never committed",
    question: "How do you send an email only once the object it is about is really created - and test that?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::welcome),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::welcome),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "responses",
        "users",
        "messages",
        "steps_that_waited",
        "test_case",
    ]),
};
