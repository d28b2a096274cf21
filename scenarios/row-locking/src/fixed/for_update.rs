//! PostgreSQL's row lock: `select_for_update()` inside `transaction.atomic()`.

use lab_kit::db::{Backend, Db, DbError};

use crate::model::{Purchase, Seen};

/// The broken view's check and write, after a read that locks the row.
pub const PURCHASE: Purchase = Purchase {
    read_sql,
    read_stock,
    ..crate::broken::PURCHASE
};

/// `Item.objects.select_for_update().get(pk=1)`.
fn read_sql(backend: Backend) -> &'static str {
    match backend {
        // FIX: FOR UPDATE locks the row until the transaction ends; a second buyer's FOR
        // UPDATE waits here until the first commits, and then reads the stock it wrote.
        Backend::Postgres => "SELECT stock FROM shop_item WHERE id = 1 FOR UPDATE",
        // What Django sends on SQLite: it drops FOR UPDATE without a word, since SQLite
        // has no row locks. This fix is PostgreSQL's; SQLite's is immediate.rs.
        Backend::Sqlite => "SELECT stock FROM shop_item WHERE id = 1",
    }
}

fn read_stock(db: &mut dyn Db) -> Result<Seen, DbError> {
    let sql = read_sql(db.backend());
    Ok(Seen::Stock(db.query_opt_i64(sql, &[])?.unwrap_or(0)))
}
