//! One transaction per request (`ATOMIC_REQUESTS`) makes a checkout all or nothing - and
//! holds SQLite's write lock through its slow calls to other services, so every other
//! writer waits, while a failure after the card was charged rolls back the order but not
//! the charge. The fix opts the view out and keeps short transactions around the writes
//! only, with every outbound call outside them.
//!
//! Run with:
//! - `cargo test -p atomic-requests`
//! - `cargo run -- run atomic-requests`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod outbound;
pub mod property;
pub mod run;
pub mod services;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "atomic-requests",
    title: "ATOMIC_REQUESTS: a lock held through a slow call, a charge kept after a rollback",
    question: "What do you gain and what do you risk with one database transaction per request (ATOMIC_REQUESTS)?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Concurrency, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::CHECKOUT),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::CHECKOUT),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "checkout_status",
        "steps_that_waited",
        "orders",
        "charges",
        "bobs_address",
    ]),
};
