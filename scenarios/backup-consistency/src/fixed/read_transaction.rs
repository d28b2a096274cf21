//! Fix 1: the same copy, one table after the other, inside one read transaction: every
//! table is read from the same snapshot (in WAL mode the site keeps writing meanwhile).

use std::path::Path;

use rusqlite::Connection;

use crate::model::{Backup, schema};

/// The table-by-table dump inside one transaction.
pub const BACKUP: Backup = Backup {
    start,
    table,
    finish,
};

/// Attaches the new file, creates the app's tables in it, and opens the transaction.
fn start(db: &Connection, out: &Path) -> rusqlite::Result<String> {
    db.pragma_update(None, "foreign_keys", false)?;
    db.execute("ATTACH DATABASE ?1 AS backup", [out.to_string_lossy()])?;
    db.execute_batch(&schema("backup"))?;
    // FIX: one transaction around the whole dump. SQLite takes its read snapshot of
    // `main` at the first read after BEGIN and keeps it to COMMIT: every table comes from
    // that one moment. In WAL mode writers commit meanwhile; in rollback-journal mode
    // their commits would wait for the dump instead.
    db.execute_batch("BEGIN")?;
    Ok("ATTACH DATABASE 'backup.sqlite3' AS backup; the app's tables created; BEGIN".to_owned())
}

/// Copies one table into the backup, inside the transaction.
fn table(db: &Connection, _out: &Path, table: &str) -> rusqlite::Result<String> {
    let sql = format!("INSERT INTO backup.{table} SELECT * FROM main.{table}");
    let rows = db.execute(&sql, [])?;
    Ok(format!("{sql} -> {rows} rows"))
}

/// Ends the transaction and detaches the backup file.
fn finish(db: &Connection, _out: &Path) -> rusqlite::Result<String> {
    // FIX: the snapshot is let go only once every table is copied.
    db.execute_batch("COMMIT")?;
    db.execute("DETACH DATABASE backup", [])?;
    db.pragma_update(None, "foreign_keys", true)?;
    Ok("COMMIT; DETACH DATABASE backup".to_owned())
}
