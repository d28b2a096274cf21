//! Runs a variant: the seeded contacts in a fresh SQLite database, the export written to
//! memory, the file opened by the spreadsheet model, and every typed-in cell judged
//! against what its owner typed.

use lab_kit::{Report, Transcript};
use serde_json::json;

use crate::model::{COLUMNS, ExportFn, SELECT_SQL, database, seed_contacts};
use crate::spreadsheet::{self, Cell};

/// Exports the seeded contacts with `export`, opens the file as a spreadsheet would, and
/// reports each cell that is not shown as it was typed or not written as it was typed.
/// The pitfall shows if any typed-in cell is evaluated as a formula.
pub fn run_variant(name: &str, export: ExportFn) -> lab_kit::Result<Report> {
    let contacts = seed_contacts();
    let conn = database(&contacts)?;
    let mut file = Vec::new();
    export(&conn, &mut file).map_err(lab_kit::Error::scenario)?;
    let fields = spreadsheet::fields(&file).map_err(lab_kit::Error::scenario)?;
    if fields.len() != contacts.len() + 1 || fields.iter().any(|r| r.len() != COLUMNS.len()) {
        return Err(lab_kit::Error::scenario(format!(
            "{name} wrote {} rows, not a header and {} contacts of {} cells each",
            fields.len(),
            contacts.len(),
            COLUMNS.len()
        )));
    }

    let mut transcript = Transcript::new();
    transcript.push(
        "app",
        format!(
            "crm_contact: {} contacts as their owners typed them",
            contacts.len()
        ),
    );
    transcript.push("app", SELECT_SQL);
    transcript.push(
        "app",
        format!(
            "contacts.csv: {} records, {} bytes, quoted by the csv crate",
            fields.len(),
            file.len()
        ),
    );
    transcript.push(
        "spreadsheet",
        format!(
            "opens contacts.csv: {} rows of {} cells",
            fields.len(),
            COLUMNS.len()
        ),
    );

    let (mut formulas, mut numbers, mut prefixed, mut typed_cells) = (0, 0, 0, 0);
    let mut listed = Vec::new();
    for (row, contact) in (1..).zip(&contacts) {
        // Column 0 is the id the database assigned; the other cells were typed in.
        for (column, typed) in contact.cells().into_iter().enumerate().skip(1) {
            typed_cells += 1;
            let written = &fields[row][column];
            let cell = spreadsheet::interpret(written);
            match &cell {
                Cell::Formula(_) => formulas += 1,
                Cell::Number(_) => numbers += 1,
                Cell::Text(_) => {}
            }
            prefixed += usize::from(written.strip_prefix('\'') == Some(typed.as_str()));
            if *written == typed && cell == Cell::Text(typed.clone()) {
                continue;
            }
            let address = spreadsheet::address(row, column);
            let what = format!("{address} ({} of contact {})", COLUMNS[column], contact.id);
            let line = if *written == typed {
                format!("{what} {typed:?}: {}", cell.describe())
            } else {
                format!(
                    "{what} typed {typed:?}, written {written:?}: {}",
                    cell.describe()
                )
            };
            transcript.push("spreadsheet", line);
            listed.push(json!({
                "cell": address,
                "typed": typed,
                "in_file": written,
                "opens_as": cell,
            }));
        }
    }
    let observed = formulas > 0;
    let symptom = if observed {
        format!(
            "opening the export in a spreadsheet evaluates {formulas} of the {typed_cells} typed-in cells as formulas instead of showing what was typed"
        )
    } else {
        format!(
            "every typed-in cell opens as the text that was typed; {prefixed} of them carry a leading ' in the file"
        )
    };
    transcript.push(
        "spreadsheet",
        format!(
            "evaluated as formulas: {formulas}; read as numbers: {numbers}; shown as text: {}",
            typed_cells - formulas - numbers
        ),
    );
    Ok(Report::new(name, observed, symptom)
        .observe("formulas_evaluated", formulas)
        .observe("read_as_numbers", numbers)
        .observe("written_with_a_leading_quote", prefixed)
        .observe("cells_not_written_or_shown_as_typed", listed)
        .with_transcript(transcript))
}
