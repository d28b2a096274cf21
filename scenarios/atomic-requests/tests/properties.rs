//! The check a fix must pass, through nothing but the API it shares with `broken.rs` (its
//! `CHECKOUT`): wherever another writer's write falls in the checkout, with the warehouse
//! up or down, no writer waits on a lock held across a service call, no charge is left
//! without its paid order, and with every service up the checkout goes through.
//! Deterministic - every schedule is run, none is sampled - and it fails for a fix that is
//! still a copy of `broken.rs`. This file travels with the homework export and grades it.

use atomic_requests::{fixed, property};

#[test]
fn fixed_holds_no_lock_across_a_call_and_loses_no_charge_in_any_schedule() {
    assert_eq!(
        property::no_lock_across_a_call_and_no_lost_charge(fixed::CHECKOUT),
        Ok(())
    );
}
