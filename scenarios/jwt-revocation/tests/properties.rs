//! What a fix must pass: every generated sequence of logins, logouts, password changes,
//! requests and clock moves (a fixed seed, so the same sequences every run) - a request
//! is accepted exactly when its token has not expired and ann has not logged out or
//! changed her password since it was issued. A copy of the broken scheme fails this.
//! This file travels with the homework export and grades it.

use jwt_revocation::fixed;
use jwt_revocation::property::{MAX_OPS, Op, op, revoked_tokens_stay_out};
use proptest::prelude::*;

/// Up to twelve operations, each naming a token index or a number of minutes.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..5, 0usize..4).prop_map(|(k, n)| op(k, n));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

#[test]
fn fixed_accepts_exactly_the_unrevoked_unexpired_tokens() {
    let found = lab_kit::property::minimal_counterexample(&ops(), 256, |ops| {
        revoked_tokens_stay_out(fixed::AUTH, ops)
    });
    if let Some((ops, reason)) = found {
        let steps: Vec<String> = ops.iter().map(Op::describe).collect();
        panic!("{reason}\nafter: {steps:#?}");
    }
}

#[test]
fn fixed_refuses_a_token_after_logout_and_after_a_password_change() {
    for revoke in [Op::Logout(0), Op::ChangePassword(0)] {
        let ops = [Op::Login, revoke, Op::Request(0)];
        assert_eq!(revoked_tokens_stay_out(fixed::AUTH, &ops), Ok(()));
    }
}
