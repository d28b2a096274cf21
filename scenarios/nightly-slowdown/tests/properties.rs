//! What the fix must pass, through nothing but the API it shares with `broken.rs` (its
//! `PURGE`): a page view or a read that arrives anywhere among the job's statements waits
//! for one of them at most, in either journal mode, and the purge removes every old event
//! and keeps the others. Deterministic - every arrival is run, none sampled - and a copy of
//! the broken purge fails each. This file travels with the homework export and grades it.

use nightly_slowdown::fixed;
use nightly_slowdown::model::JournalMode;
use nightly_slowdown::property::no_request_waits_past_one_step;

#[test]
fn fixed_keeps_no_request_waiting_past_one_step_in_rollback_journal_mode() {
    let check = no_request_waits_past_one_step(&fixed::PURGE, JournalMode::Rollback);
    assert_eq!(check, Ok(()));
}

#[test]
fn fixed_keeps_no_request_waiting_past_one_step_in_wal_mode() {
    let check = no_request_waits_past_one_step(&fixed::PURGE, JournalMode::Wal);
    assert_eq!(check, Ok(()));
}
