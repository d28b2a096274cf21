//! The pitfall: every row loaded, the whole CSV written into memory, then one response.

use axum::response::{IntoResponse, Response};

use crate::model::{CSV_HEADERS, CsvOut, Customer, Export, SELECT_SQL};

/// The export as a plain Django view writes it: `rows = list(queryset)`, a `csv.writer`
/// over an `HttpResponse`, return the response.
#[expect(
    clippy::needless_pass_by_value,
    reason = "the shared ExportFn signature takes the request context by value"
)]
pub fn export(export: Export) -> lab_kit::Result<Response> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    // Like `list(queryset)` (or the queryset's result cache): every row becomes an object
    // before anything is written.
    let customers: Vec<Customer> = stmt
        .query_map([], |row| {
            export.progress.row_read();
            Customer::from_row(row)
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    drop(conn);
    export.progress.finish(true);

    // PITFALL: the whole file goes into one buffer (an `HttpResponse`'s content): the heap
    // holds every row and every byte of the CSV, and the client sees nothing until the
    // last row was read and written.
    let mut csv = CsvOut::new(Vec::new())?;
    for customer in &customers {
        csv.write(&customer.record())?;
    }
    let body = csv.into_inner()?;
    Ok((CSV_HEADERS, body).into_response())
}
