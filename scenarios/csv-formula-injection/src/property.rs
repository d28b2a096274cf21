//! The property every safe export satisfies, runnable against any [`ExportFn`].

use crate::model::{COLUMNS, Contact, ExportFn, database};
use crate::spreadsheet::{self, Cell};

/// First characters that make a spreadsheet evaluate a cell: OWASP's "CSV Injection" list
/// (`=`, `+`, `-`, `@`, tab, carriage return, line feed) and NUL, which ASVS 5.0 V1.2.10
/// adds. Written here, apart from the fix, as the spec.
pub const TRIGGERS: [char; 8] = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

/// Cases per property run: each one builds an in-memory table and exports it.
pub const CASES: u32 = 256;

/// What generated cells are made of (a proptest regex): the triggers, quotes, separators,
/// line breaks and non-ASCII letters.
pub const CELL_TEXT: &str = "[a-z0-9 ,;\"'\\r\\n\\t=+@\\x00é-]{0,6}";

/// Contacts from generated `(name, phone, note)`, ids from 1.
pub fn contacts(rows: Vec<(String, String, String)>) -> Vec<Contact> {
    rows.into_iter()
        .zip(1..)
        .map(|((name, phone, note), id)| Contact {
            id,
            name,
            phone,
            note,
        })
        .collect()
}

/// Exporting `contacts` gives a CSV whose cells, read back with the csv crate, never start
/// with a trigger and are exactly what was typed, except for one leading `'` in front of a
/// typed value that starts with a trigger; and the spreadsheet model evaluates none of them.
pub fn cells_are_inert_and_as_typed(export: ExportFn, contacts: &[Contact]) -> Result<(), String> {
    let conn = database(contacts).map_err(|e| format!("the table could not be built: {e}"))?;
    let mut file = Vec::new();
    export(&conn, &mut file).map_err(|e| format!("the export failed: {e}"))?;
    let rows = spreadsheet::fields(&file).map_err(|e| format!("the file is not CSV: {e}"))?;
    let Some((header, rows)) = rows.split_first() else {
        return Err("the file has no header row".into());
    };
    if header.iter().ne(COLUMNS) {
        return Err(format!("header {header:?}, expected {COLUMNS:?}"));
    }
    if rows.len() != contacts.len() {
        return Err(format!(
            "{} contacts stored, {} rows in the file",
            contacts.len(),
            rows.len()
        ));
    }
    for (contact, row) in contacts.iter().zip(rows) {
        if row.len() != COLUMNS.len() {
            return Err(format!(
                "contact {}: {} cells in its row",
                contact.id,
                row.len()
            ));
        }
        for ((typed, written), column) in contact.cells().iter().zip(row).zip(COLUMNS) {
            let id = contact.id;
            if written.starts_with(TRIGGERS) {
                return Err(format!(
                    "contact {id}: the {column} cell {written:?} starts with a formula trigger"
                ));
            }
            let expected = if typed.starts_with(TRIGGERS) {
                format!("'{typed}")
            } else {
                typed.clone()
            };
            if *written != expected {
                return Err(format!(
                    "contact {id}: the {column} cell reads back as {written:?}, expected {expected:?}"
                ));
            }
            if let Cell::Formula(formula) = spreadsheet::interpret(written) {
                return Err(format!(
                    "contact {id}: a spreadsheet evaluates the {column} cell as {formula:?}"
                ));
            }
        }
    }
    Ok(())
}
