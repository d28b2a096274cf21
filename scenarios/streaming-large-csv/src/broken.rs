//! The pitfall: every row loaded, the whole CSV written into memory, then one response.

use axum::response::{IntoResponse, Response};

use crate::data::Customer;
use crate::{COLUMNS, Export, SELECT_SQL, csv_headers, format_amount};

/// The export as a plain Django view writes it: `rows = list(queryset)`, a `csv.writer`
/// over an `HttpResponse`, return the response.
#[expect(
    clippy::needless_pass_by_value,
    reason = "the shared ExportFn signature: the streaming fix moves the context into its reader thread"
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
    let mut csv = csv::Writer::from_writer(Vec::new());
    csv.write_record(COLUMNS).map_err(std::io::Error::from)?;
    let mut amount = String::new();
    for c in &customers {
        format_amount(c.amount_cents, &mut amount);
        csv.write_record([
            c.id.to_string().as_str(),
            &c.name,
            &c.email,
            &amount,
            &c.created_at,
        ])
        .map_err(std::io::Error::from)?;
    }
    let body = csv
        .into_inner()
        .map_err(|e| std::io::Error::other(e.to_string()))?;
    Ok((csv_headers(), body).into_response())
}
