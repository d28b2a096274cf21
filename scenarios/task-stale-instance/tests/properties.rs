//! What the fix must pass, through nothing but the API it shares with `broken.rs` (its
//! `TYPESET`): under every schedule of ann's publish, bob's edit and the worker's two
//! steps the row ends as the committed edits add up to, and a publish that rolls back
//! leaves no job and no change behind. Deterministic - every schedule is run, none is
//! sampled - and each fails for a fix that is still a copy of `broken.rs`. This file
//! travels with the homework export and grades it.

use task_stale_instance::{fixed, property};

#[test]
fn fixed_loses_no_edit_in_any_schedule_of_publish_edit_and_worker() {
    assert_eq!(property::never_loses_an_edit(fixed::TYPESET), Ok(()));
}

#[test]
fn fixed_leaves_no_trace_of_a_publish_that_rolled_back() {
    assert_eq!(
        property::rolled_back_request_leaves_no_trace(fixed::TYPESET),
        Ok(())
    );
}
