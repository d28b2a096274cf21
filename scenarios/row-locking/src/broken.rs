//! The pitfall: read the stock, check it in the application, write back the value computed
//! from what was read - with nothing stopping another buyer between the read and the write.
//!
//! The Django view this is:
//! ```text
//! item = Item.objects.get(pk=item_id)        # read
//! if item.stock < 1: return sold_out()       # check
//! item.stock -= 1                            # decide, in Python
//! item.save(update_fields=["stock"])         # write the decided value
//! Order.objects.create(item=item, buyer=buyer)
//! ```
//! On SQLite it runs in Django's default autocommit; on PostgreSQL inside
//! `transaction.atomic()`, which people expect to protect it - it does not.

use postgres::GenericClient;
use rusqlite::Connection;

use crate::{ITEM, Sale};

/// `Item.objects.get(pk=1)`: a plain read, no lock.
pub const READ_SQL: &str = "SELECT stock FROM shop_item WHERE id = 1";
/// `item.save(update_fields=["stock"])`: writes the value the application decided on.
pub const WRITE_SQL: &str = "UPDATE shop_item SET stock = ?1 WHERE id = ?2";
/// `Order.objects.create(...)`.
pub const ORDER_SQL: &str = "INSERT INTO shop_order (item_id, buyer) VALUES (?1, ?2)";

/// What the sell step looks like in a transcript.
pub fn shown_sell(buyer: &str) -> String {
    format!(
        "if stock_seen >= 1: UPDATE shop_item SET stock = stock_seen - 1 WHERE id = 1; \
         INSERT INTO shop_order (item_id, buyer) VALUES (1, '{buyer}')"
    )
}

/// The read, on SQLite.
pub fn read_stock(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(READ_SQL, [], |row| row.get(0))
}

/// The check and the write, on SQLite, from the stock this session saw.
pub fn sell(conn: &Connection, stock_seen: i64, buyer: &str) -> rusqlite::Result<Sale> {
    if stock_seen < 1 {
        return Ok(Sale::SoldOut);
    }
    // PITFALL: `stock_seen` may already be stale: another buyer can have read the same 1
    // and sold the lamp since. Writing `stock_seen - 1` overwrites their decrement (a lost
    // update), and the order below is placed for a lamp that is gone.
    conn.execute(WRITE_SQL, (stock_seen - 1, ITEM))?;
    conn.execute(ORDER_SQL, (ITEM, buyer))?;
    Ok(Sale::Sold {
        order: conn.last_insert_rowid(),
    })
}

/// The whole view on SQLite, in autocommit: read, then sell.
pub fn buy(conn: &Connection, buyer: &str) -> rusqlite::Result<Sale> {
    let stock_seen = read_stock(conn)?;
    sell(conn, stock_seen, buyer)
}

/// The read, on PostgreSQL (inside whatever transaction the caller opened).
pub fn read_stock_pg<C: GenericClient>(client: &mut C) -> Result<i64, postgres::Error> {
    Ok(client.query_one(READ_SQL, &[])?.get(0))
}

/// The check and the write, on PostgreSQL.
pub fn sell_pg<C: GenericClient>(
    client: &mut C,
    stock_seen: i64,
    buyer: &str,
) -> Result<Sale, postgres::Error> {
    if stock_seen < 1 {
        return Ok(Sale::SoldOut);
    }
    // PITFALL: the same stale write. Inside a READ COMMITTED transaction the UPDATE waits
    // for the other buyer's row lock, but once they commit it simply writes `stock_seen -
    // 1` again: nothing re-checks what the application decided.
    client.execute(
        "UPDATE shop_item SET stock = $1 WHERE id = $2",
        &[&(stock_seen - 1), &ITEM],
    )?;
    let order: i64 = client
        .query_one(
            "INSERT INTO shop_order (item_id, buyer) VALUES ($1, $2) RETURNING id",
            &[&ITEM, &buyer],
        )?
        .get(0);
    Ok(Sale::Sold { order })
}

/// The whole view on PostgreSQL, inside `transaction.atomic()`.
pub fn buy_pg(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let stock_seen = read_stock_pg(&mut tx)?;
    let sale = sell_pg(&mut tx, stock_seen, buyer)?;
    tx.commit()?;
    Ok(sale)
}
