//! Snapshots and verdicts of both variants, what each read path shows in the story, the
//! refusals of the fixed shop, and the broken shop's shrunk counterexample (the checks
//! that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use proptest::prelude::*;
use serde_json::json;
use soft_deletion::model::Op;
use soft_deletion::property::{MAX_ID, MAX_OPS, live_rows_only, offered, op};
use soft_deletion::world::World;
use soft_deletion::{SCENARIO, broken, fixed};

#[test]
fn broken_refuses_ada_and_three_pages_show_deleted_rows() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(
        o["leaking_paths"],
        json!(["orders", "order_counts", "customer_of"])
    );
    // The customer list shows no deleted row; it misses Ada's refused second account.
    assert_eq!(o["differing_paths"][0], json!("customers"));
    assert_eq!(
        o["answers"][7],
        json!("refused: UNIQUE constraint failed: shop_customer.email")
    );
    // Ada's lamp is listed under her deleted account; Bob's deleted desk is counted; the
    // lamp's page shows the deleted Ada.
    assert_eq!(
        o["reads"]["orders"],
        json!([
            "#1 lamp by #1 ada@example.com",
            "#2 chair by #2 bob@example.com"
        ])
    );
    assert_eq!(o["reads"]["order_counts"], json!(["#2 bob@example.com: 2"]));
    assert_eq!(
        o["reads"]["customer_of"][0],
        json!("order #1: #1 ada@example.com")
    );
    // The reverse related manager is built from Order's default manager: it filters.
    assert_eq!(o["reads"]["orders_of"], o["truth"]["reads"]["orders_of"]);
}

#[test]
fn fixed_shows_the_truth_on_every_path_and_lets_ada_back_in() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["reads"], o["truth"]["reads"]);
    assert_eq!(o["answers"], o["truth"]["answers"]);
    assert_eq!(o["answers"][7], json!("customer #3"));
    // Bob came back with the chair his account's deletion took, not the desk he deleted.
    assert_eq!(o["reads"]["orders_of"][1], json!("customer #2: [#2 chair]"));
}

#[test]
fn fixed_refuses_to_undelete_a_customer_whose_address_was_taken_again() {
    let mut world = World::new(fixed::SHOP).expect("a fresh database");
    let ada = || Op::SignUp {
        email: "ada@example.com".to_owned(),
    };
    for op in [ada(), Op::DeleteCustomer { customer: 1 }, ada()] {
        world.apply(&op);
    }
    let (got, want) = world.apply(&Op::UndeleteCustomer { customer: 1 });
    assert_eq!(
        got,
        "refused: UNIQUE constraint failed: shop_customer.email"
    );
    assert_eq!(got, want);
}

#[test]
fn both_schemas_are_what_django_writes() {
    for (shop, unique) in [
        (broken::SHOP, "NOT NULL UNIQUE"),
        (fixed::SHOP, "NOT NULL,"),
    ] {
        let world = World::new(shop).expect("a fresh database");
        let schema = world.schema().expect("sqlite_master");
        assert!(
            schema[0].contains(&format!("email varchar(254) {unique}")),
            "{schema:?}"
        );
    }
    assert!(fixed::SCHEMA.contains("ON shop_customer (email) WHERE deleted_at IS NULL"));
}

/// The space `properties.rs` draws from.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..5, 1..=MAX_ID, 0usize..2).prop_map(|(k, id, c)| op(k, id, c));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (ops, reason) = lab_kit::property::minimal_counterexample(&ops(), 256, |ops| {
        live_rows_only(broken::SHOP, ops)
    })
    .expect("the broken shop must fail");
    let steps: Vec<String> = offered(&ops).iter().map(Op::describe).collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"ops": steps, "failure": reason})
    );
}
