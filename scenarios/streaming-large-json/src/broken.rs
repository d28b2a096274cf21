//! The pitfall: every row loaded, the whole JSON array serialised into memory, then one
//! response.

use axum::response::{IntoResponse, Response};

use crate::model::{Export, JSON_HEADERS, Order, SELECT_SQL, json_dump};

/// The export as a plain Django view writes it: `JsonResponse(list(queryset.values()),
/// safe=False)`.
#[expect(
    clippy::needless_pass_by_value,
    reason = "the shared ExportFn signature takes the request context by value"
)]
pub fn export(export: Export) -> lab_kit::Result<Response> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    // Like `list(queryset.values())`: every row becomes an object before anything is
    // written.
    let orders: Vec<Order> = stmt
        .query_map([], |row| {
            export.progress.row_read();
            Order::from_row(row)
        })?
        .collect::<rusqlite::Result<_>>()?;
    drop(stmt);
    drop(conn);
    export.progress.finish(true);

    // PITFALL: the whole array is serialised into one buffer (a `JsonResponse`'s content):
    // the heap holds every row and every byte of the JSON, and the client sees nothing
    // until the last row was read and written.
    let mut body = Vec::new();
    json_dump(&orders, &mut body)?;
    Ok((JSON_HEADERS, body).into_response())
}
