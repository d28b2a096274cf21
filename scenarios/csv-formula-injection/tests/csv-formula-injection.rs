//! The lab's own checks: snapshots and verdicts of both variants, and broken's shrunk
//! counterexample of the property.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use csv_formula_injection::SCENARIO;
use csv_formula_injection::broken;
use csv_formula_injection::model::Contact;
use csv_formula_injection::property::{self, CASES, CELL_TEXT, cells_are_inert_and_as_typed};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The listed cell at spreadsheet address `address`, if the report lists it.
fn listed<'r>(report: &'r lab_kit::Report, address: &str) -> Option<&'r Value> {
    report.observations["cells_not_written_or_shown_as_typed"]
        .as_array()
        .expect("a list of cells")
        .iter()
        .find(|cell| cell["cell"] == address)
}

#[test]
fn broken_lets_the_spreadsheet_evaluate_typed_in_formulas() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(report.observations["formulas_evaluated"], 11);
    assert_eq!(report.observations["written_with_a_leading_quote"], 0);
    // The attacker's link, which sends two other contacts' phone numbers away.
    let link = listed(&report, "B6").expect("B6 is listed");
    assert!(
        link["opens_as"]["Formula"]
            .as_str()
            .is_some_and(|f| f.starts_with("=HYPERLINK("))
    );
    // A tab in front does not stop it.
    assert_eq!(
        listed(&report, "D10").expect("D10")["opens_as"],
        json!({"Formula": "=1+2"})
    );
    // Legitimate values suffer too: the phone number is evaluated, the rating is a number.
    assert_eq!(
        listed(&report, "C2").expect("C2")["opens_as"],
        json!({"Formula": "+44 20 7946 0958"})
    );
    assert_eq!(
        listed(&report, "D4").expect("D4")["opens_as"],
        json!({"Number": "-5"})
    );
}

#[test]
fn fixed_writes_a_quote_in_front_and_every_cell_opens_as_typed_text() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    assert_eq!(report.observations["formulas_evaluated"], 0);
    assert_eq!(report.observations["read_as_numbers"], 0);
    assert_eq!(report.observations["written_with_a_leading_quote"], 12);
    let rating = listed(&report, "D4").expect("D4 is listed: it was written differently");
    assert_eq!(rating["in_file"], "'-5");
    assert_eq!(rating["opens_as"], json!({"Text": "-5"}));
}

/// The contacts `tests/properties.rs` generates.
fn contacts() -> impl Strategy<Value = Vec<Contact>> {
    proptest::collection::vec((CELL_TEXT, CELL_TEXT, CELL_TEXT), 1..5).prop_map(property::contacts)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (table, failure) = lab_kit::property::minimal_counterexample(&contacts(), CASES, |table| {
        cells_are_inert_and_as_typed(broken::export, table)
    })
    .expect("the broken export must fail");
    // One contact with one cell that starts with a trigger is enough.
    assert_eq!(table.len(), 1, "{table:?}");
    assert!(
        failure.contains("starts with a formula trigger"),
        "{failure}"
    );
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"contacts": table, "failure": failure})
    );
}
