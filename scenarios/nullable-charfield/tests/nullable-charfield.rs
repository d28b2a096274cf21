//! Snapshots and verdicts of both variants on the seed, why the unique email keeps NULL
//! (the documented exception, shown on the nickname's rule), and the broken code's shrunk
//! counterexample (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use nullable_charfield::model::{self, INSERT, Signup, Storage};
use nullable_charfield::property::{CHOICES, MAX_SIGNUPS, lists_match_truth, numbered};
use nullable_charfield::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn broken_misses_each_empty_value_in_turn_and_refuses_the_second_blank_email() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    // bob's nickname is NULL: `nickname = ''` cannot see it.
    assert_eq!(
        o["without_nickname"],
        json!({"listed": ["cy", "eve"], "truth": ["bob", "cy", "eve"]})
    );
    // cy's email is '': `email IS NULL` cannot see it; dee's '' was refused.
    assert_eq!(
        o["without_email"],
        json!({"listed": ["bob", "eve"], "truth": ["bob", "cy", "dee", "eve"]})
    );
    assert_eq!(
        o["refused"],
        json!([{"user": "dee", "error": "UNIQUE constraint failed: app_profile.email"}])
    );
    // Three profiles have no nickname; neither lookup counts three.
    assert_eq!(
        o["empty_counts"]["nickname"],
        json!({"equals_empty": 2, "is_null": 1, "truth": 3})
    );
}

#[test]
fn fixed_stores_every_signup_with_one_empty_value_per_column() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["refused"], json!([]));
    assert_eq!(
        o["empty_counts"],
        json!({
            "nickname": {"equals_empty": 3, "is_null": 0, "truth": 3},
            "email": {"equals_empty": 0, "is_null": 4, "truth": 4},
        })
    );
}

/// The nickname's rule applied to the email too: Django's table for
/// `EmailField(blank=True, unique=True, default="")` (the Django twin checks that Django
/// refuses the second blank address the same way).
const EMAIL_AS_EMPTY_STRING: &str = "CREATE TABLE app_profile (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, username varchar(30) NOT NULL UNIQUE, nickname varchar(50) DEFAULT '' NOT NULL, email varchar(254) NOT NULL UNIQUE)";

fn save_email_as_empty_string(
    conn: &rusqlite::Connection,
    signup: &Signup,
) -> rusqlite::Result<()> {
    let nickname = signup.nickname.as_deref().unwrap_or("");
    let email = signup.email.as_deref().unwrap_or("");
    conn.execute(INSERT, (&signup.username, nickname, email))
        .map(drop)
}

#[test]
fn the_empty_string_rule_on_a_unique_column_refuses_the_second_user_without_one() {
    let storage = Storage {
        schema: EMAIL_AS_EMPTY_STRING,
        save: save_email_as_empty_string,
    };
    let signups = [
        Signup::new("bob", None, None),
        Signup::new("eve", None, None),
    ];
    assert_eq!(
        lists_match_truth(storage, &signups),
        Err("eve's sign-up was refused: UNIQUE constraint failed: app_profile.email".to_owned())
    );
    // The fix keeps NULL there, and both are stored.
    assert_eq!(lists_match_truth(fixed::STORAGE, &signups), Ok(()));
}

/// The space `properties.rs` draws from.
fn signups() -> impl Strategy<Value = Vec<Signup>> {
    proptest::collection::vec((0..CHOICES, 0..CHOICES), 0..=MAX_SIGNUPS)
        .prop_map(|choices| numbered(&choices))
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (signups, reason) = lab_kit::property::minimal_counterexample(&signups(), 256, |s| {
        lists_match_truth(broken::STORAGE, s)
    })
    .expect("the broken code must fail");
    // One sign-up is enough: a nickname left out is stored as NULL, and `= ''` misses it.
    assert_eq!(signups.len(), 1, "{signups:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "signups": signups.iter().map(Signup::describe).collect::<Vec<_>>(),
            "failure": reason,
        })
    );
    assert_eq!(model::truth(&signups, model::Field::Nickname).len(), 1);
}
