//! Snapshots and verdicts of both variants, every schedule of the broken migration, what
//! each part of the fix is for, and the broken migration's smallest failing input (the
//! checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::check;
use serde_json::json;
use unique_field_backfill::model::{Migration, is_v4};
use unique_field_backfill::property::{self, every_schedule};
use unique_field_backfill::{SCENARIO, broken, fixed};

#[test]
fn broken_gives_every_row_one_default_and_then_breaks_the_old_app() {
    let report = check!(SCENARIO, "broken");
    let busy = &report.observations["stories"]["busy_table"];
    assert_eq!(
        busy["errors"]["make_unique"],
        "UNIQUE constraint failed: new__shop_order.uuid"
    );
    // The 4 seed rows share one value; the old app's 2 rows got theirs from the backfill.
    assert_eq!(busy["end"]["distinct_values"], 3);
    let one_row = &report.observations["stories"]["one_row_table"];
    assert_eq!(one_row["end"]["unique_index"], true);
    assert_eq!(
        one_row["errors"]["old_insert_1"],
        "NOT NULL constraint failed: shop_order.uuid"
    );
    let refused: Vec<_> = report.observations["sqlite_refuses"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|a| a["error"].clone())
        .collect();
    assert_eq!(
        refused,
        [
            json!("Cannot add a UNIQUE column"),
            json!("Cannot add a NOT NULL column with default value NULL"),
            json!("Cannot add a column with non-constant default"),
        ]
    );
}

#[test]
fn fixed_gives_every_row_its_own_uuid_and_the_old_app_keeps_writing() {
    let report = check!(SCENARIO, "fixed");
    for story in ["busy_table", "one_row_table"] {
        let facts = &report.observations["stories"][story];
        assert_eq!(facts["errors"], json!({}), "{story}");
        assert_eq!(
            facts["end"]["rows"], facts["end"]["distinct_values"],
            "{story}"
        );
        assert_eq!(facts["end"]["unique_index"], true, "{story}");
    }
}

#[test]
fn the_seeded_uuids_are_real_version_4_uuids() {
    let uuids = unique_field_backfill::model::Uuids::seeded(1);
    let (a, b) = (uuids.next(), uuids.next());
    assert!(is_v4(&a) && is_v4(&b) && a != b, "{a} {b}");
    assert!(
        !is_v4("6cbab308ea9a1d6490e9f94c39cf751a"),
        "version 1 is not version 4"
    );
}

#[test]
fn broken_goes_wrong_in_every_schedule_on_a_busy_table() {
    let schedules = every_schedule(broken::MIGRATION, 4).expect("runs");
    assert_eq!((schedules.runnable, schedules.went_wrong.len()), (15, 15));
    insta::assert_yaml_snapshot!("broken_schedules", schedules);
}

#[test]
fn each_part_of_the_fix_closes_its_own_failures() {
    let tally = |migration: Migration| {
        (0..=4)
            .map(|rows| {
                every_schedule(migration, rows)
                    .expect("runs")
                    .went_wrong
                    .len()
            })
            .collect::<Vec<_>>()
    };
    let fixed = fixed::MIGRATION;
    assert_eq!(tally(fixed), [0, 0, 0, 0, 0]);
    // One default for all (and so nothing that fills the old app's rows), the rest fixed:
    // from 2 rows every schedule fails; on fewer, those where old rows written before the
    // column share the default, or rows written after the index stay NULL.
    let one_default = Migration {
        add_column: broken::MIGRATION.add_column,
        ..fixed
    };
    assert_eq!(tally(one_default), [6, 9, 15, 15, 15]);
    // The NOT NULL rebuild at the end: every schedule where the old app writes after it
    // fails (5 of 15), whatever the table's size; on 4 rows, one more - both old rows came
    // before the column, the batches ran out, and the rebuild filled both NULLs with its
    // own default, evaluated once: UNIQUE fails.
    let not_null = Migration {
        make_unique: broken::MIGRATION.make_unique,
        ..fixed
    };
    assert_eq!(tally(not_null), [5, 5, 5, 5, 6]);
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let strategy = (0_usize..=5, proptest::collection::vec(0_usize..=4, 0..=3));
    let (input, reason) =
        lab_kit::property::minimal_counterexample(&strategy, 64, |(rows, after)| {
            property::holds(broken::MIGRATION, *rows, after)
        })
        .expect("the broken migration fails the property");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"seed_rows": input.0, "old_inserts_after_steps": input.1, "failure": reason})
    );
}
