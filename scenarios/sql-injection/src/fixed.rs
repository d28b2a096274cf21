//! The fix: the SQL text is a constant and the search text travels as a bound parameter.

use rusqlite::Connection;

use crate::model::Product;

/// `Product.objects.filter(published=True, name__icontains=q)`, written as the SQL
/// Django sends for it on SQLite: the published products whose name contains `q`, by id.
pub fn search(conn: &Connection, q: &str) -> rusqlite::Result<Vec<Product>> {
    // FIX: one SQL text for every search; `?` is a placeholder SQLite fills with the
    // value after parsing, so no character of it can be read as SQL.
    let sql = "SELECT id, name, price FROM shop_product WHERE published = 1 AND name LIKE ? ESCAPE '\\' ORDER BY id";
    let mut stmt = conn.prepare(sql)?;
    // FIX: `%` and `_` typed by the user are LIKE wildcards, not SQL, but they would
    // widen the search; escaped as Django's `icontains` escapes them, they match
    // themselves, and the pattern's own `%` on each side means "contains".
    let pattern = format!("%{}%", escape_like(q));
    stmt.query_map([pattern], Product::from_row)?.collect()
}

/// `q` with `\`, `%` and `_` escaped by a backslash (Django's `prep_for_like_query`).
fn escape_like(q: &str) -> String {
    let mut escaped = String::with_capacity(q.len());
    for c in q.chars() {
        if matches!(c, '\\' | '%' | '_') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}
