//! What the fix must pass, through nothing but the API it shares with `broken.rs` (its
//! `MIGRATION`): on a table of 0 to 5 orders, under every schedule of the migration's four
//! steps and two inserts of the old app, and under generated schedules of up to three
//! inserts (a fixed seed, so the same ones every run), the old app never fails, the
//! migration never fails, and every row ends with its own version-4 UUID behind a unique
//! index. Each fails for a fix that is still a copy of `broken.rs`. This file travels with
//! the homework export and grades it.

use unique_field_backfill::{fixed, property};

#[test]
fn fixed_gives_every_row_its_own_uuid_in_every_schedule_of_two_old_inserts() {
    assert_eq!(
        property::holds_in_every_schedule(fixed::MIGRATION, 5),
        Ok(())
    );
}

#[test]
fn fixed_never_fails_the_old_app_whatever_the_interleaving() {
    // A table size, and for each old insert how many migration steps ran before it.
    let strategy = (0_usize..=5, proptest::collection::vec(0_usize..=4, 0..=3));
    let found = lab_kit::property::minimal_counterexample(&strategy, 48, |(rows, after)| {
        property::holds(fixed::MIGRATION, *rows, after)
    });
    assert_eq!(found, None);
}
