//! The pitfall: the search pastes what the user typed into the SQL text.

use rusqlite::Connection;

use crate::model::Product;

/// `Product.objects.raw(f"SELECT ... WHERE published = 1 AND name LIKE '%{q}%' ...")`:
/// the published products whose name contains `q`, by id.
pub fn search(conn: &Connection, q: &str) -> rusqlite::Result<Vec<Product>> {
    // PITFALL: `q` becomes part of the SQL text. A quote in it ends the string literal,
    // and whatever follows is SQL: `' OR 1=1 --` widens the WHERE clause to every row,
    // `' UNION SELECT ... FROM auth_user --` appends another table's rows.
    let sql = format!(
        "SELECT id, name, price FROM shop_product WHERE published = 1 AND name LIKE '%{q}%' ORDER BY id"
    );
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map([], Product::from_row)?.collect()
}
