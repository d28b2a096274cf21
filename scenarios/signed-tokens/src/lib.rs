//! An unsubscribe or confirmation link that carries a subscriber id in plain base64 can be
//! edited to act on someone else, taken to an endpoint of another purpose, and used long
//! after it should have expired; signing it the way Django's `signing.dumps` does - an
//! HMAC keyed per purpose, a timestamp checked against a max age, a constant-time compare -
//! refuses all three.
//!
//! Run with:
//! - `cargo test -p signed-tokens`
//! - `cargo run -- run signed-tokens`

pub mod app;
pub mod attack;
pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

use model::Tokens;

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "signed-tokens",
    title: "Unsubscribe and confirm links anyone can forge, repurpose or replay",
    question: "How do you put data in a link (unsubscribe, confirm) so it cannot be forged, reused for another purpose or replayed after it expires?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Security],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || {
                run::run(Tokens {
                    dumps: broken::dumps,
                    loads: broken::loads,
                })
            },
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || {
                run::run(Tokens {
                    dumps: fixed::dumps,
                    loads: fixed::loads,
                })
            },
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "mallory_link",
        "payload_readable",
        "attacks",
        "legit_links",
        "subscribers",
    ]),
};
