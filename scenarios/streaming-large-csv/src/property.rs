//! The data property every correct export satisfies, runnable against any [`ExportFn`].

use std::sync::Arc;

use lab_kit::sqlite::TempDb;

use crate::data::{self, Customer};
use crate::{COLUMNS, Export, ExportFn, Progress, format_amount};

/// The characters that make a spreadsheet read a cell as a formula when they come first
/// (OWASP, "CSV Injection"). Written out here, apart from the fix, as the spec.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The property: exporting `customers` gives a CSV that parses back to exactly the stored
/// values, row for row, except that a free-text cell starting like a formula reads back
/// with one leading `'`; and no name or email cell starts like a formula.
pub fn export_is_faithful(export: ExportFn, customers: &[Customer]) -> Result<(), String> {
    let body = body_of(export, customers).map_err(|e| format!("the export failed: {e}"))?;
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(body.as_slice());
    let records = reader
        .records()
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("the body is not valid CSV: {e}"))?;
    let Some((header, rows)) = records.split_first() else {
        return Err("the body has no header row".into());
    };
    if header.iter().ne(COLUMNS) {
        return Err(format!("header {header:?}, expected {COLUMNS:?}"));
    }
    if rows.len() != customers.len() {
        return Err(format!(
            "{} rows stored, {} rows in the CSV",
            customers.len(),
            rows.len()
        ));
    }
    let mut amount = String::new();
    for (c, row) in customers.iter().zip(rows) {
        for (column, stored) in [(1, &c.name), (2, &c.email)] {
            let cell = &row[column];
            if cell.starts_with(FORMULA_STARTS) {
                return Err(format!(
                    "customer {}: the {} cell {cell:?} runs as a formula in a spreadsheet",
                    c.id, COLUMNS[column]
                ));
            }
            let expected = spec_guarded(stored);
            if *cell != expected {
                return Err(format!(
                    "customer {}: the {} cell reads back as {cell:?}, expected {expected:?}",
                    c.id, COLUMNS[column]
                ));
            }
        }
        format_amount(c.amount_cents, &mut amount);
        let plain = [c.id.to_string(), amount.clone(), c.created_at.clone()];
        let got = [&row[0], &row[3], &row[4]];
        if got.iter().zip(&plain).any(|(g, p)| *g != p) {
            return Err(format!("customer {}: {got:?}, expected {plain:?}", c.id));
        }
    }
    Ok(())
}

/// A free-text cell as the spec says a safe export writes it: one leading `'` before a
/// formula-looking start, otherwise unchanged. The truth the fix is checked against,
/// written apart from it.
pub(crate) fn spec_guarded(stored: &str) -> String {
    if stored.starts_with(FORMULA_STARTS) {
        format!("'{stored}")
    } else {
        stored.to_owned()
    }
}

/// The whole body of `export` over a table holding `customers`, without a network.
fn body_of(export: ExportFn, customers: &[Customer]) -> lab_kit::Result<Vec<u8>> {
    let db = TempDb::new()?;
    data::load(&db.connect()?, customers.iter().cloned())?;
    let (progress, _ended) = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let response = tokio::task::spawn_blocking(move || export(context))
            .await
            .map_err(std::io::Error::other)??;
        if !response.status().is_success() {
            return Err(lab_kit::Error::Invalid(format!(
                "status {}",
                response.status()
            )));
        }
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .map_err(std::io::Error::other)?;
        Ok(bytes.to_vec())
    })
}
