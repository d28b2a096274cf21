//! A bank that trusts its session cookie alone moves money when another site's page posts
//! a transfer form from the victim's browser, because the browser attaches the cookie to
//! that POST too. The fixes: a masked per-session token in every form (Django's
//! `CsrfViewMiddleware` scheme), an `Origin` check, or a `SameSite=Lax` session cookie.
//!
//! Run with:
//! - `cargo test -p csrf-forgery`
//! - `cargo run -- run csrf-forgery`

pub mod attacker;
pub mod bank;
pub mod broken;
pub mod browser;
pub mod fixed;
pub mod form;
pub mod model;
pub mod property;
pub mod run;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};
use model::Defence;

/// The [`model::Defence`] made of one module's three functions (for tests).
#[macro_export]
macro_rules! defence {
    ($module:path) => {{
        use $module as m;
        $crate::model::Defence {
            form_token: m::form_token,
            check: m::check,
            session_cookie: m::session_cookie,
        }
    }};
}

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "csrf-forgery",
    title: "Another site's form moves the victim's money with her session cookie",
    question: "Why can another website make a logged-in user's browser transfer money, and what stops it?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Security],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || {
                run::run(
                    "broken",
                    Defence {
                        form_token: broken::form_token,
                        check: broken::check,
                        session_cookie: broken::session_cookie,
                    },
                )
            },
        },
        Variant {
            name: "fixed_masked_secret",
            role: Role::Fix,
            needs: &[],
            run: || {
                run::run(
                    "fixed_masked_secret",
                    Defence {
                        form_token: fixed::masked_secret::form_token,
                        check: fixed::masked_secret::check,
                        session_cookie: fixed::masked_secret::session_cookie,
                    },
                )
            },
        },
        Variant {
            name: "fixed_origin_match",
            role: Role::Fix,
            needs: &[],
            run: || {
                run::run(
                    "fixed_origin_match",
                    Defence {
                        form_token: fixed::origin_match::form_token,
                        check: fixed::origin_match::check,
                        session_cookie: fixed::origin_match::session_cookie,
                    },
                )
            },
        },
        Variant {
            name: "fixed_lax_cookie",
            role: Role::Fix,
            needs: &[],
            run: || {
                run::run(
                    "fixed_lax_cookie",
                    Defence {
                        form_token: fixed::lax_cookie::form_token,
                        check: fixed::lax_cookie::check,
                        session_cookie: fixed::lax_cookie::session_cookie,
                    },
                )
            },
        },
    ],
    bench: None,
    twin: Twin::Facts(&["own_transfer", "forged_transfer", "balances", "form_tokens"]),
};
