//! The pitfall: the backup copies one table, then the next, each read on its own.
//!
//! It is what `manage.py dumpdata > backup.json` does: no transaction around the dump, so
//! every table is read as it is at the moment its turn comes. Here the dump writes into a
//! new SQLite file (attached as `backup`) instead of JSON, one `INSERT ... SELECT` per
//! table in Django's order - customers, then orders.

use std::path::Path;

use rusqlite::Connection;

use crate::model::{Backup, schema};

/// The table-by-table dump as everybody writes it first.
pub const BACKUP: Backup = Backup {
    start,
    table,
    finish,
};

/// Attaches the new file and creates the app's tables in it. A dump never checks
/// references while it copies (`sqlite3 .dump`, `mysqldump` and `dumpdata` all write
/// rows unchecked): the restore does.
fn start(db: &Connection, out: &Path) -> rusqlite::Result<String> {
    db.pragma_update(None, "foreign_keys", false)?;
    db.execute("ATTACH DATABASE ?1 AS backup", [out.to_string_lossy()])?;
    db.execute_batch(&schema("backup"))?;
    Ok("ATTACH DATABASE 'backup.sqlite3' AS backup; the app's tables created in it".to_owned())
}

/// Copies one table into the backup.
fn table(db: &Connection, _out: &Path, table: &str) -> rusqlite::Result<String> {
    let sql = format!("INSERT INTO backup.{table} SELECT * FROM main.{table}");
    // PITFALL: in autocommit every statement is a transaction of its own: this table is
    // read as it is now, the next one at a later moment. Whatever the site commits in
    // between lands in one table of the backup and not in the other - an order whose
    // customer is missing, or a mix the database never held.
    let rows = db.execute(&sql, [])?;
    Ok(format!("{sql} -> {rows} rows"))
}

/// Detaches the backup file.
fn finish(db: &Connection, _out: &Path) -> rusqlite::Result<String> {
    db.execute("DETACH DATABASE backup", [])?;
    db.pragma_update(None, "foreign_keys", true)?;
    Ok("DETACH DATABASE backup".to_owned())
}
