//! What a fix must pass: the story, and every generated sequence of sign-ups, orders,
//! deletes and undeletes (a fixed seed, so the same sequences every run): after each
//! operation the answer is the truth's - an address refused only while a live customer
//! has it - and every read path shows exactly the live rows. A copy of the broken shop
//! fails each of these. This file travels with the homework export and grades it.

use proptest::prelude::*;
use soft_deletion::fixed;
use soft_deletion::model::{Op, Shop, story};
use soft_deletion::property::{MAX_ID, MAX_OPS, live_rows_only, offered, op};

/// Up to ten operations, each naming a customer or order id up to three, an address out
/// of two and an item out of two.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..5, 1..=MAX_ID, 0usize..2).prop_map(|(k, id, c)| op(k, id, c));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

/// Asserts that `shop` keeps the property on the story and on 256 generated sequences,
/// failing with the shrunk sequence that breaks it.
#[track_caller]
fn check(shop: Shop) {
    assert_eq!(live_rows_only(shop, &story()), Ok(()), "the story");
    let found =
        lab_kit::property::minimal_counterexample(&ops(), 256, |ops| live_rows_only(shop, ops));
    if let Some((ops, reason)) = found {
        let steps: Vec<String> = offered(&ops).iter().map(Op::describe).collect();
        panic!("{reason}\nafter: {steps:#?}");
    }
}

#[test]
fn fixed_shows_only_live_rows_after_any_sequence() {
    check(fixed::SHOP);
}
