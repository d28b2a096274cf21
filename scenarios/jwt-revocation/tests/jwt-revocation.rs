//! Snapshots and verdicts of both variants, the cost of the fix per request, its refresh
//! tokens, and the broken scheme's shrunk counterexample (the checks that grade a fix are
//! in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use jwt_revocation::model::{ANN, decode, encode, peek};
use jwt_revocation::property::{MAX_OPS, Op, op, revoked_tokens_stay_out};
use jwt_revocation::run::database;
use jwt_revocation::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn broken_lets_both_copies_in_without_a_single_query() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(
        o["replays"],
        json!({"before_logout": "accepted", "after_logout": "accepted",
               "after_password_change": "accepted"})
    );
    assert_eq!(o["queries_per_request"], json!(0));
    assert_eq!(o["access_token_minutes"], json!(1440));
    assert_eq!(o["old_password_login"], json!(401));
}

#[test]
fn fixed_refuses_both_copies_for_one_lookup_per_request() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(
        o["replays"],
        json!({"before_logout": "accepted", "after_logout": "rejected",
               "after_password_change": "rejected"})
    );
    assert_eq!(
        o["replay_answers"],
        json!(["token revoked", "token revoked"])
    );
    assert_eq!(o["queries_per_request"], json!(1));
    assert_eq!(o["access_token_minutes"], json!(5));
    // Twelve minutes on, the access token has expired and the refresh token renews it;
    // a copy of the spent refresh token is refused and ends the session.
    assert_eq!(o["token_3_after_12_minutes"], json!(401));
    assert_eq!(
        o["refresh"],
        json!([{"ann_refreshes_after_12_minutes": 200},
               {"ann_with_the_new_access_token": 200},
               {"a_copy_of_the_spent_refresh_token": 401},
               {"ann_refreshes_after_that": 401}])
    );
}

#[test]
fn a_token_with_one_byte_changed_is_refused() {
    let conn = database(broken::AUTH).expect("a fresh database");
    let token = (broken::AUTH.login)(&conn, ANN.0, ANN.1, 1_000)
        .expect("ann")
        .access;
    assert!(decode(&token, 1_000).is_ok());
    // The claims rewritten to another user, re-encoded, with the original signature.
    let mut forged = peek(&token).expect("claims");
    forged.sub = 2;
    let forged = encode(&forged);
    let (body, _) = forged.rsplit_once('.').expect("three parts");
    let (_, signature) = token.rsplit_once('.').expect("three parts");
    assert!(decode(&format!("{body}.{signature}"), 1_000).is_err());
}

#[test]
fn the_refresh_token_is_stored_only_as_a_hash() {
    let conn = database(fixed::AUTH).expect("a fresh database");
    let tokens = (fixed::AUTH.login)(&conn, ANN.0, ANN.1, 1_000).expect("ann");
    let refresh = tokens.refresh.expect("a refresh token");
    let stored: String = conn
        .query_row("SELECT token_hash FROM auth_refresh_token", [], |r| {
            r.get(0)
        })
        .expect("one row");
    assert_ne!(stored, refresh);
    assert_eq!(stored.len(), 64);
}

/// The space `properties.rs` draws from.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..5, 0usize..4).prop_map(|(k, n)| op(k, n));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (ops, reason) = lab_kit::property::minimal_counterexample(&ops(), 256, |ops| {
        revoked_tokens_stay_out(broken::AUTH, ops)
    })
    .expect("the broken scheme must fail");
    let steps: Vec<String> = ops.iter().map(Op::describe).collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"ops": steps, "failure": reason})
    );
}
