//! The pitfall: every cell goes into the CSV exactly as it was typed, quoted correctly
//! and still live in a spreadsheet.

use std::io::Write;

use rusqlite::Connection;

use crate::model::{COLUMNS, Contact, ExportError, SELECT_SQL, csv_writer};

/// The export as the Django docs' CSV example writes it: a `csv.writer` over the
/// response, one `writerow` per contact.
pub fn export(conn: &Connection, out: &mut dyn Write) -> Result<(), ExportError> {
    let mut csv = csv_writer(out);
    csv.write_record(COLUMNS)?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let contact = Contact::from_row(row)?;
        // PITFALL: the cells are written as typed. The csv crate quotes them so the file
        // parses, but a spreadsheet evaluates any cell that starts with `=`, `+`, `-` or
        // `@` (even after a tab or line break): a typed-in formula runs on the machine of
        // whoever opens the export.
        csv.write_record(contact.cells())?;
    }
    csv.flush()?;
    Ok(())
}
