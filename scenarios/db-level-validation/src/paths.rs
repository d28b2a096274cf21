//! The app's four write paths - the form, a plain `save()`, `bulk_create()`, `update()` -
//! each sending the SQL Django 5.2 sends for it: the same code for every variant.

use rusqlite::{Connection, ErrorCode, params_from_iter};
use serde::Serialize;

use crate::model::{Product, Write};

/// What became of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Rows inserted or updated.
    Stored(usize),
    /// Refused before the database (`ValidationError: ...`) or by it (`IntegrityError:
    /// ...`, SQLite's message, as Django passes it on): what the caller sees.
    Refused(String),
}

/// Runs `write` through the app's code path. A refusal is an outcome, not an error: the
/// caller sees it and goes on; any other database error is returned.
pub fn apply(conn: &Connection, write: &Write) -> rusqlite::Result<Outcome> {
    let result = match write {
        Write::Form { product } => {
            let errors = product.errors();
            if !errors.is_empty() {
                return Ok(Outcome::Refused(format!(
                    "ValidationError: {}",
                    errors.join("; ")
                )));
            }
            insert(conn, std::slice::from_ref(product))
        }
        Write::Save { product } => insert(conn, std::slice::from_ref(product)),
        Write::BulkCreate { products } => atomic(conn, || insert(conn, products)),
        Write::Update { add } => conn.execute(
            "UPDATE app_product SET discount = (app_product.discount + ?1)",
            [add],
        ),
    };
    match result {
        Ok(n) => Ok(Outcome::Stored(n)),
        Err(e) if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) => {
            Ok(Outcome::Refused(format!("IntegrityError: {e}")))
        }
        Err(e) => Err(e),
    }
}

/// The INSERT Django sends for one `save()` or one `bulk_create()` batch, word for word
/// but for its double quotes: every product in one statement, ids back by `RETURNING`.
fn insert(conn: &Connection, products: &[Product]) -> rusqlite::Result<usize> {
    let rows = vec!["(?, ?)"; products.len()].join(", ");
    let sql =
        format!("INSERT INTO app_product (sku, discount) VALUES {rows} RETURNING app_product.id");
    let values = products.iter().flat_map(|p| {
        [
            rusqlite::types::Value::from(p.sku.clone()),
            rusqlite::types::Value::from(p.discount),
        ]
    });
    let mut stmt = conn.prepare(&sql)?;
    let ids = stmt.query_map(params_from_iter(values), |r| r.get::<_, i64>(0))?;
    ids.collect::<rusqlite::Result<Vec<_>>>()
        .map(|ids| ids.len())
}

/// `transaction.atomic()` as `bulk_create()` uses it: `BEGIN`, then `COMMIT`, or
/// `ROLLBACK` when the body fails.
fn atomic(
    conn: &Connection,
    body: impl FnOnce() -> rusqlite::Result<usize>,
) -> rusqlite::Result<usize> {
    conn.execute_batch("BEGIN")?;
    match body() {
        Ok(n) => conn.execute_batch("COMMIT").map(|()| n),
        Err(e) => {
            conn.execute_batch("ROLLBACK")?;
            Err(e)
        }
    }
}
