//! The pitfall: the field as Django's plain migration adds it - `UUIDField(default=uuid4)`,
//! made `unique=True` (and so NOT NULL) once the rows have values - run while the old
//! version of the app still writes orders.
//!
//! ```text
//! migrations.AddField("order", "uuid", models.UUIDField(default=uuid.uuid4, null=True))
//! migrations.RunPython(backfill)   # rows still without a value, two at a time
//! migrations.AlterField("order", "uuid", models.UUIDField(default=uuid.uuid4, unique=True))
//! ```

use rusqlite::Connection;

use crate::model::{Migration, Uuids, backfill_batch};

/// The migration as the deploy runs it.
pub const MIGRATION: Migration = Migration {
    add_column,
    backfill,
    make_unique,
};

fn add_column(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<String> {
    let tx = conn.unchecked_transaction()?;
    tx.execute_batch("ALTER TABLE shop_order ADD COLUMN uuid char(32) NULL")?;
    // PITFALL: `default=uuid.uuid4` is called once, when the migration runs, and that one
    // value fills every existing row (Django's SQLite editor copies it into each row of
    // the rebuilt table). Every order now has the same "unique" id.
    let default = uuids.next();
    let filled = tx.execute("UPDATE shop_order SET uuid = ?1", [&default])?;
    tx.commit()?;
    Ok(format!("one default for {filled} row(s)"))
}

fn backfill(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<String> {
    // The rows the default filled are not NULL, so only the old app's rows are found.
    let set = backfill_batch(conn, uuids)?;
    Ok(format!("{set} row(s) given a UUID"))
}

fn make_unique(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<String> {
    // Django's SQLite editor cannot alter a column: it builds `new__shop_order` with the
    // new definition, copies the rows (a NULL left over takes the default, evaluated once
    // more), drops the old table and renames the new one.
    let default = uuids.next();
    let tx = conn.unchecked_transaction()?;
    // PITFALL: `unique=True` without `null=True` is NOT NULL with no default in the
    // database. The old app's INSERT, which does not name the column, fails from now on.
    tx.execute_batch(
        "CREATE TABLE new__shop_order (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
         customer varchar(50) NOT NULL, uuid char(32) NOT NULL UNIQUE)",
    )?;
    let copied = tx.execute(
        "INSERT INTO new__shop_order (id, customer, uuid) \
         SELECT id, customer, coalesce(uuid, ?1) FROM shop_order",
        [&default],
    )?;
    tx.execute_batch("DROP TABLE shop_order")?;
    tx.execute_batch("ALTER TABLE new__shop_order RENAME TO shop_order")?;
    tx.commit()?;
    Ok(format!("{copied} row(s) copied"))
}
