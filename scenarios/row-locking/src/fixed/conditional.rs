//! No lock held across a read: one conditional UPDATE, and its row count decides.

use postgres::GenericClient;
use rusqlite::Connection;

use crate::{ITEM, Sale};

/// `Item.objects.filter(pk=1, stock__gte=1).update(stock=F("stock") - 1)` on SQLite.
pub const SQLITE_SQL: &str = "UPDATE shop_item SET stock = stock - 1 WHERE id = ?1 AND stock >= 1";
/// The same on PostgreSQL.
pub const PG_SQL: &str = "UPDATE shop_item SET stock = stock - 1 WHERE id = $1 AND stock >= 1";

/// What the sell step looks like in a transcript.
pub fn shown_sell(buyer: &str) -> String {
    format!(
        "UPDATE shop_item SET stock = stock - 1 WHERE id = 1 AND stock >= 1; \
         if 1 row: INSERT INTO shop_order (item_id, buyer) VALUES (1, '{buyer}')"
    )
}

/// The purchase on SQLite, in `transaction.atomic()`: whatever the page showed before,
/// the database decides. Its first statement writes, so the deferred transaction takes
/// the write lock at once instead of upgrading from a read.
pub fn buy(conn: &Connection, buyer: &str) -> rusqlite::Result<Sale> {
    let tx = conn.unchecked_transaction()?;
    // FIX: the check and the decrement are one statement, evaluated against the row as it
    // is now; a buyer who comes second matches no row and is told the truth.
    if tx.execute(SQLITE_SQL, [ITEM])? == 0 {
        return Ok(Sale::SoldOut);
    }
    tx.execute(
        "INSERT INTO shop_order (item_id, buyer) VALUES (?1, ?2)",
        (ITEM, buyer),
    )?;
    let order = tx.last_insert_rowid();
    tx.commit()?;
    Ok(Sale::Sold { order })
}

/// The check-and-decrement on PostgreSQL, inside the caller's transaction.
pub fn sell_pg<C: GenericClient>(client: &mut C, buyer: &str) -> Result<Sale, postgres::Error> {
    // FIX: if another transaction holds the row, this UPDATE waits for it and then
    // re-evaluates `stock >= 1` on the committed row (READ COMMITTED's re-check), so the
    // second buyer updates nothing.
    if client.execute(PG_SQL, &[&ITEM])? == 0 {
        return Ok(Sale::SoldOut);
    }
    let order: i64 = client
        .query_one(
            "INSERT INTO shop_order (item_id, buyer) VALUES ($1, $2) RETURNING id",
            &[&ITEM, &buyer],
        )?
        .get(0);
    Ok(Sale::Sold { order })
}

/// The purchase on PostgreSQL, in `transaction.atomic()`.
pub fn buy_pg(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let sale = sell_pg(&mut tx, buyer)?;
    tx.commit()?;
    Ok(sale)
}
