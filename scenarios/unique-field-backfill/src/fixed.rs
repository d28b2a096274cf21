//! The fix: a nullable column whose rows each get their own UUID - from the backfill for
//! the rows already there, from a trigger for the rows the old app writes - then a unique
//! index that leaves the column nullable until the old app is gone.
//!
//! ```text
//! migrations.AddField("order", "uuid", models.UUIDField(null=True))
//! migrations.RunSQL(TRIGGER)
//! migrations.RunPython(backfill)   # rows still without a value, two at a time
//! migrations.SeparateDatabaseAndState(
//!     database_operations=[migrations.RunPython(backfill_rest),
//!                          migrations.RunSQL("CREATE UNIQUE INDEX ...")],
//!     state_operations=[migrations.AlterField(
//!         "order", "uuid", models.UUIDField(null=True, unique=True))])
//! ```

use rusqlite::Connection;

use crate::model::{BATCH, Migration, Uuids, backfill_batch};

/// The migration as the deploy runs it.
pub const MIGRATION: Migration = Migration {
    add_column,
    backfill,
    make_unique,
};

/// Gives a row the old app inserted a version-4 UUID, computed by SQLite: random bits with
/// the version digit `4` and a variant digit of `8`, `9`, `a` or `b`.
const TRIGGER: &str = "CREATE TRIGGER shop_order_uuid_for_old_writers AFTER INSERT ON shop_order \
     FOR EACH ROW WHEN NEW.uuid IS NULL BEGIN \
     UPDATE shop_order SET uuid = lower(hex(randomblob(6)) || '4' || substr(hex(randomblob(2)), 2) \
     || substr('89ab', 1 + abs(random()) % 4, 1) || substr(hex(randomblob(2)), 2) \
     || hex(randomblob(6))) WHERE id = NEW.id; END";

fn add_column(conn: &Connection, _uuids: &Uuids) -> rusqlite::Result<String> {
    let tx = conn.unchecked_transaction()?;
    // FIX: nullable and no default: ADD COLUMN changes no row, and the old app's INSERT,
    // which does not name the column, still works (it stores NULL).
    tx.execute_batch("ALTER TABLE shop_order ADD COLUMN uuid char(32) NULL")?;
    // FIX: in the same transaction, a trigger gives every row the old app inserts from
    // now on its own value, so no NULL appears behind the backfill's back.
    tx.execute_batch(TRIGGER)?;
    tx.commit()?;
    Ok("no row changed".to_owned())
}

fn backfill(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<String> {
    // FIX: a value per row (`uuid4()` called for each), a short transaction per batch.
    let set = backfill_batch(conn, uuids)?;
    Ok(format!("{set} row(s) given a UUID"))
}

fn make_unique(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<String> {
    // FIX: whatever the batches did not reach (rows the old app wrote before the column
    // existed) gets a value too. Bounded: enough batches for the NULLs counted first, and
    // the trigger adds none meanwhile.
    let left: i64 = conn.query_row(
        "SELECT count(*) FROM shop_order WHERE uuid IS NULL",
        [],
        |r| r.get(0),
    )?;
    let left = usize::try_from(left).unwrap_or(0);
    let mut swept = 0;
    for _ in 0..=left.div_ceil(BATCH) {
        match backfill_batch(conn, uuids)? {
            0 => break,
            n => swept += n,
        }
    }
    // FIX: uniqueness as an index, with no table rebuild and no NOT NULL: the old app's
    // INSERT keeps working. NOT NULL waits for a later migration, once no old version runs.
    conn.execute_batch("CREATE UNIQUE INDEX shop_order_uuid_uniq ON shop_order (uuid)")?;
    Ok(format!("{swept} row(s) left over given a UUID"))
}
