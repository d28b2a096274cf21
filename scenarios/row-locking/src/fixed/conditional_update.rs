//! No decision on a value read earlier: one conditional UPDATE, and its row count decides.

use lab_kit::db::{Db, DbError};

use crate::model::{ITEM, Purchase, Sale, place_order};

/// The broken view's transaction and read (the page still shows "1 left"), with a sale
/// that ignores what was read.
pub const PURCHASE: Purchase = Purchase {
    sell_sql: SELL_SQL,
    sell,
    ..crate::broken::PURCHASE
};

const SELL_SQL: &str = "atomic(): UPDATE shop_item SET stock = stock - 1 WHERE id = 1 \
                        AND stock >= 1; if 1 row: INSERT INTO shop_order (item_id, buyer) \
                        VALUES (1, buyer)";

/// `with transaction.atomic():` around the decrement and the order. Django sends `BEGIN`
/// for it in SQLite's autocommit and a `SAVEPOINT` inside PostgreSQL's transaction; a
/// `SAVEPOINT` does both (outside a transaction SQLite opens a deferred one for it).
fn sell(db: &mut dyn Db, _stock_seen: i64, buyer: &str) -> Result<Sale, DbError> {
    db.execute("SAVEPOINT sale", &[])?;
    let sale = decrement_then_order(db, buyer);
    if sale.is_err() {
        let _ = db.execute("ROLLBACK TO sale", &[]);
    }
    let released = db.execute("RELEASE sale", &[]);
    let sale = sale?;
    released?;
    Ok(sale)
}

/// `Item.objects.filter(pk=1, stock__gte=1).update(stock=F("stock") - 1)`, then the order.
fn decrement_then_order(db: &mut dyn Db, buyer: &str) -> Result<Sale, DbError> {
    // FIX: the check and the decrement are one statement, evaluated against the row as it
    // is now. A buyer who comes second matches no row and is told the truth; on PostgreSQL
    // a second UPDATE waits for the first buyer's row lock, then re-checks `stock >= 1` on
    // the committed row (READ COMMITTED's re-check) and updates nothing.
    let sql = "UPDATE shop_item SET stock = stock - 1 WHERE id = $1 AND stock >= 1";
    if db.execute(sql, &[ITEM.into()])? == 0 {
        return Ok(Sale::SoldOut);
    }
    place_order(db, buyer)
}
