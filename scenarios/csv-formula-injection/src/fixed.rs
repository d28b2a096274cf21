//! The fix: a cell that starts like a formula gets a leading `'` (OWASP "CSV Injection",
//! ASVS 5.0 V1.2.10), so a spreadsheet shows it as text; quoting stays with the csv crate.

use std::io::Write;

use rusqlite::Connection;

use crate::model::{COLUMNS, Contact, ExportError, SELECT_SQL, csv_writer};

/// First characters that make a spreadsheet evaluate a cell: OWASP's list (`=`, `+`, `-`,
/// `@`, tab, carriage return, line feed) and NUL, which ASVS 5.0 adds.
const FORMULA_TRIGGERS: [char; 8] = ['=', '+', '-', '@', '\t', '\r', '\n', '\0'];

/// The export with every cell neutralised before the csv crate quotes it.
pub fn export(conn: &Connection, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut csv = csv_writer(out);
    csv.write_record(COLUMNS)?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let contact = Contact::from_row(row)?;
        // FIX: each cell that starts like a formula is written as text.
        csv.write_record(contact.cells().map(neutralise))?;
    }
    csv.flush()?;
    Ok(())
}

/// `cell` with one `'` in front if it starts with a formula trigger, otherwise unchanged.
fn neutralise(cell: String) -> String {
    if cell.starts_with(FORMULA_TRIGGERS) {
        // FIX: the typed text is kept whole, one character longer.
        format!("'{cell}")
    } else {
        cell
    }
}
