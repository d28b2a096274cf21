//! A comment page pastes what visitors typed into its HTML, so an attacker's comment
//! becomes markup - a `<script>`, an `<img onerror>`, an event handler out of an unquoted
//! attribute, a `</script>` that ends the page's JSON block - and runs in every reader's
//! browser. The fix renders through an auto-escaping template, quotes the attribute, and
//! writes the JSON with Django's `json_script` escapes.
//!
//! Run with:
//! - `cargo test -p xss-escaping`
//! - `cargo run -- run xss-escaping`

pub mod app;
pub mod broken;
pub mod browser;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "xss-escaping",
    title: "Comments pasted into a page run the script an attacker typed",
    question: "How do you put user input into an HTML page - text, an attribute, a script's data - so that no input runs as script?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Security],
    difficulty: Difficulty::Beginner,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::render_page),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::render_page),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "injected",
        "event_handlers",
        "comments_shown_as_typed",
        "json_block_matches",
    ]),
};
