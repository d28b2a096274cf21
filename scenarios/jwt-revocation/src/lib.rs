//! Stateless JSON Web Tokens outlive what should end them: after ann logs out or changes
//! her password, a copy of her token still opens her account until it expires a day
//! later. The fix: five-minute tokens that carry a token version checked on every
//! request (one lookup), bumped by logout and by a password change, with rotating
//! refresh tokens kept on the server for long sessions.
//!
//! Run with:
//! - `cargo test -p jwt-revocation`
//! - `cargo run -- run jwt-revocation`

pub mod app;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "jwt-revocation",
    title: "A stolen JWT still works after logout and a password change",
    question: "With stateless JWT authentication, why does a token keep working after the user logs out or changes their password, and what does revoking it cost?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Security],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::AUTH),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::AUTH),
        },
    ],
    bench: None,
    twin: Twin::Facts(&["replays"]),
};
