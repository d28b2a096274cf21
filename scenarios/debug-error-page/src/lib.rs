//! Production runs with `DEBUG = True`, so a request that makes a view fail gets Django's
//! debug page: every setting and the request's headers, masked only where a NAME looks
//! secret, so the password inside `DATABASE_URL` and the key inside `SENTRY_DSN` go to
//! whoever asked. The fix answers with the generic 500 page and writes the report to the
//! log, masking secret-looking values as well as names.
//!
//! Run with:
//! - `cargo test -p debug-error-page`
//! - `cargo run -- run debug-error-page`

pub mod app;
pub mod broken;
pub mod filter;
pub mod fixed;
pub mod model;
pub mod property;
pub mod report;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "debug-error-page",
    title: "A debug 500 page in production hands out secrets stored under innocent names",
    question: "Why is DEBUG = True in production dangerous when Django masks secret settings, and what should a failed request show?",
    tags: &[Tag::Http, Tag::Security],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::server_error),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::server_error),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["status", "secrets_in_body", "secrets_in_log"]),
};
