//! PostgreSQL's row lock without the queue: `select_for_update(nowait=True)`.

use lab_kit::db::{Backend, Db, DbError};

use crate::model::{Purchase, Seen};

/// The broken view's check and write, after a read that locks the row or gives up at once.
pub const PURCHASE: Purchase = Purchase {
    read_sql,
    read_stock,
    ..crate::broken::PURCHASE
};

/// `Item.objects.select_for_update(nowait=True).get(pk=1)`.
fn read_sql(backend: Backend) -> &'static str {
    match backend {
        Backend::Postgres => "SELECT stock FROM shop_item WHERE id = 1 FOR UPDATE NOWAIT",
        // Django drops the whole locking clause on SQLite (no row locks there).
        Backend::Sqlite => "SELECT stock FROM shop_item WHERE id = 1",
    }
}

fn read_stock(db: &mut dyn Db) -> Result<Seen, DbError> {
    let sql = read_sql(db.backend());
    match db.query_opt_i64(sql, &[]) {
        Ok(stock) => Ok(Seen::Stock(stock.unwrap_or(0))),
        // FIX: NOWAIT never queues behind another buyer: PostgreSQL answers 55P03
        // lock_not_available at once, Django raises DatabaseError, and the view tells the
        // customer to try again instead of holding a worker while it waits.
        Err(e) if e.is_lock_not_available() => Ok(Seen::Locked(e.to_string())),
        Err(e) => Err(e),
    }
}
