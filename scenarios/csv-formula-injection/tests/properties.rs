//! What grades a fix, through broken.rs's API only: the seeded export opens without a
//! single formula, and for any typed-in text every cell is inert and reads back as typed.
//! A copy of broken.rs fails both tests.

use csv_formula_injection::fixed;
use csv_formula_injection::model::{Contact, database, seed_contacts};
use csv_formula_injection::property::{self, CASES, CELL_TEXT, cells_are_inert_and_as_typed};
use csv_formula_injection::spreadsheet::{self, Cell};
use proptest::prelude::*;

/// One to four contacts of generated text.
fn contacts() -> impl Strategy<Value = Vec<Contact>> {
    proptest::collection::vec((CELL_TEXT, CELL_TEXT, CELL_TEXT), 1..5).prop_map(property::contacts)
}

#[test]
fn fixed_export_of_the_seeded_contacts_opens_without_a_single_formula() {
    let conn = database(&seed_contacts()).expect("the seeded table");
    let mut file = Vec::new();
    fixed::export(&conn, &mut file).expect("the export is written");
    let fields = spreadsheet::fields(&file).expect("the file is CSV");
    let formulas: Vec<Cell> = fields
        .iter()
        .flatten()
        .map(|field| spreadsheet::interpret(field))
        .filter(|cell| matches!(cell, Cell::Formula(_)))
        .collect();
    assert_eq!(formulas, [], "cells a spreadsheet evaluates");
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_writes_every_typed_cell_inert_and_as_typed(table in contacts()) {
        prop_assert_eq!(cells_are_inert_and_as_typed(fixed::export, &table), Ok(()));
    }
}
