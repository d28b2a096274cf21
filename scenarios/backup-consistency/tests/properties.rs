//! What a fix must pass, through nothing but the API every fix shares with `broken.rs`
//! (its `BACKUP`): under every schedule of the story's two commits around the backup's
//! steps, and for generated writers (a fixed seed, so the same ones every run), the backup
//! restores intact, with no dangling reference, as the database was at one moment. A copy
//! of the broken backup fails each of these. This file travels with the homework export
//! and grades it.

use backup_consistency::model::Backup;
use backup_consistency::property::{self, MAX_CHANGES};
use backup_consistency::writer::Change;
use backup_consistency::{fixed, run};
use proptest::prelude::*;

/// A writer of up to three transactions, each committing after a chosen backup step.
fn writers() -> impl Strategy<Value = Vec<(Change, usize)>> {
    let change = prop_oneof![
        Just(Change::SignUp),
        (0..4_usize).prop_map(Change::Order),
        (0..4_usize).prop_map(Change::Close),
    ];
    proptest::collection::vec((change, 0..=4_usize), 1..=MAX_CHANGES)
}

/// Asserts that `backup` restores as one moment of the database for 128 generated writers,
/// failing with the smallest writer that breaks it.
#[track_caller]
fn check_any_writes(backup: &Backup) {
    let found = lab_kit::property::minimal_counterexample(&writers(), 128, |writer| {
        let (changes, gaps): (Vec<Change>, Vec<usize>) = writer.iter().copied().unzip();
        property::restores_consistently(backup, &changes, &gaps)
    });
    if let Some((writer, reason)) = found {
        panic!("{reason}\nwith the writer: {writer:?}");
    }
}

#[test]
fn fixed_read_transaction_restores_as_one_moment_in_every_schedule() {
    let check =
        property::every_schedule_restores(&fixed::read_transaction::BACKUP, &run::STORY_CHANGES);
    assert_eq!(check, Ok(()));
}

#[test]
fn fixed_read_transaction_restores_as_one_moment_for_any_writes() {
    check_any_writes(&fixed::read_transaction::BACKUP);
}

#[test]
fn fixed_online_backup_restores_as_one_moment_in_every_schedule() {
    let check =
        property::every_schedule_restores(&fixed::online_backup::BACKUP, &run::STORY_CHANGES);
    assert_eq!(check, Ok(()));
}

#[test]
fn fixed_online_backup_restores_as_one_moment_for_any_writes() {
    check_any_writes(&fixed::online_backup::BACKUP);
}

#[test]
fn fixed_vacuum_into_restores_as_one_moment_in_every_schedule() {
    let check = property::every_schedule_restores(&fixed::vacuum_into::BACKUP, &run::STORY_CHANGES);
    assert_eq!(check, Ok(()));
}

#[test]
fn fixed_vacuum_into_restores_as_one_moment_for_any_writes() {
    check_any_writes(&fixed::vacuum_into::BACKUP);
}
