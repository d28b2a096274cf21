//! The data property of a products table, runnable against any [`Schema`]: after any
//! sequence of writes through any of the app's paths, the table holds no row the
//! validators refuse, and every write whose values are valid is stored.

use crate::model::{self, Product, Schema, Write};
use crate::paths;

/// The longest write sequences the property tests draw: one write through a path that
/// skips `full_clean()` is already enough to store an invalid row.
pub const MAX_WRITES: usize = 5;
/// SKUs a generated product draws from: valid ones first, then lower case, too short,
/// empty.
pub const SKUS: [&str; 5] = ["ABC-1234", "XYZ-0001", "abc-1234", "AB-12", ""];
/// Discounts a generated product draws from: inside the range, its edges, just outside.
pub const DISCOUNTS: [i64; 5] = [0, 40, 100, -1, 101];
/// What a generated sale adds to every discount.
pub const ADDS: [i64; 3] = [10, 60, -45];

/// A product from (SKU, discount) indexes into [`SKUS`] and [`DISCOUNTS`].
pub fn product((sku, discount): (usize, usize)) -> Product {
    Product::new(SKUS[sku], DISCOUNTS[discount])
}

/// The property: after `writes` on a fresh `schema` table, no stored row breaks a
/// validator, and the table is exactly what a database that kept the rules would hold
/// (so a table that refuses valid writes fails too). The error names the first
/// offending row or both tables.
pub fn keeps_the_rules(schema: Schema, writes: &[Write]) -> Result<(), String> {
    let conn = model::connect().map_err(|e| e.to_string())?;
    conn.execute_batch(schema).map_err(|e| e.to_string())?;
    for write in writes {
        paths::apply(&conn, write).map_err(|e| e.to_string())?;
    }
    let rows = model::stored(&conn).map_err(|e| e.to_string())?;
    if let Some(bad) = rows.iter().find(|p| !p.errors().is_empty()) {
        return Err(format!(
            "the table holds {}: {}",
            bad.describe(),
            bad.errors().join("; ")
        ));
    }
    let expected = model::expected(writes);
    if rows != expected {
        let show = |ps: &[Product]| ps.iter().map(Product::describe).collect::<Vec<_>>();
        return Err(format!(
            "the table holds {:?}, the rules allow {:?}",
            show(&rows),
            show(&expected)
        ));
    }
    Ok(())
}
