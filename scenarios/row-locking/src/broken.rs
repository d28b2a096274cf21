//! The pitfall: the view decides on a stock it read earlier and writes that decision back.
//!
//! It reads the stock, checks it in the application and writes back the value computed
//! from what it read - with nothing stopping another buyer between the read and the write.
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

use lab_kit::db::{Backend, Db, DbError};

use crate::model::{ITEM, Purchase, Sale, Seen, place_order};

/// The buy view as everybody writes it first.
pub const PURCHASE: Purchase = Purchase {
    begin,
    read_sql,
    read_stock,
    sell_sql: SELL_SQL,
    sell,
};

/// Autocommit on SQLite (Django's default: every query commits on its own), and
/// `transaction.atomic()` on PostgreSQL, where people reach for it first.
fn begin(backend: Backend) -> Option<&'static str> {
    match backend {
        Backend::Sqlite => None,
        Backend::Postgres => Some("BEGIN"),
    }
}

/// `Item.objects.get(pk=1)`: a plain read, no lock.
fn read_sql(_backend: Backend) -> &'static str {
    "SELECT stock FROM shop_item WHERE id = 1"
}

fn read_stock(db: &mut dyn Db) -> Result<Seen, DbError> {
    let sql = read_sql(db.backend());
    Ok(Seen::Stock(db.query_opt_i64(sql, &[])?.unwrap_or(0)))
}

const SELL_SQL: &str = "if stock_seen >= 1: UPDATE shop_item SET stock = stock_seen - 1 \
                        WHERE id = 1; INSERT INTO shop_order (item_id, buyer) VALUES (1, buyer)";

/// The check in Python, then `item.save(update_fields=["stock"])` and the order.
fn sell(db: &mut dyn Db, stock_seen: i64, buyer: &str) -> Result<Sale, DbError> {
    if stock_seen < 1 {
        return Ok(Sale::SoldOut);
    }
    // PITFALL: `stock_seen` may already be stale: another buyer can have read the same 1
    // and sold the lamp since. Writing `stock_seen - 1` overwrites their decrement (a lost
    // update), and the order below is placed for a lamp that is gone. On PostgreSQL the
    // UPDATE waits for the other buyer's row lock, then writes its stale value anyway.
    db.execute(
        "UPDATE shop_item SET stock = $1 WHERE id = $2",
        &[(stock_seen - 1).into(), ITEM.into()],
    )?;
    place_order(db, buyer)
}
