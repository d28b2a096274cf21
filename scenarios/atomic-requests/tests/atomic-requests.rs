//! Snapshots and verdicts of both variants, and every schedule of the broken view (the
//! checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use atomic_requests::{SCENARIO, broken, property};
use lab_kit::check;
use serde_json::json;

#[test]
fn broken_makes_bob_wait_and_keeps_the_charge_of_a_rolled_back_order() {
    let report = check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(o["checkout_status"], 500);
    assert_eq!(o["writers_that_waited"], json!(["s2_write"]));
    assert_eq!(o["orders"], json!([]));
    assert_eq!(o["charges_without_a_paid_order"], json!(["ch_1"]));
    assert_eq!(o["bobs_address"], "3 Pine Street");
}

#[test]
fn fixed_lets_bob_write_at_once_and_keeps_the_paid_order() {
    let report = check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["checkout_status"], 500);
    assert_eq!(o["writers_that_waited"], json!([]));
    assert_eq!(
        o["orders"],
        json!([{"id": 1, "status": "paid", "charge": "ch_1"}])
    );
    assert_eq!(o["charges_without_a_paid_order"], json!([]));
}

#[test]
fn broken_goes_wrong_whenever_a_call_is_held_or_the_warehouse_is_down() {
    let failures = property::every_schedule(broken::CHECKOUT).expect("the stories run");
    // Warehouse up: bob waits whenever his write falls while a service holds ann's call (2
    // of 4). Warehouse down: the charge outlives the rollback wherever bob writes (4 of 4).
    assert_eq!(failures.len(), 6, "{failures:#?}");
    insta::assert_yaml_snapshot!("broken_schedules", failures);
}
