//! Fix 3: `VACUUM INTO` writes a compacted copy of the whole database in one statement,
//! read inside one read transaction; the per-table moves have nothing left to do.

use std::path::Path;

use rusqlite::Connection;

use crate::model::{Backup, count_rows};

/// The whole database written out by one statement.
pub const BACKUP: Backup = Backup {
    start,
    table,
    finish,
};

/// Writes the copy.
fn start(db: &Connection, out: &Path) -> rusqlite::Result<String> {
    // FIX: one statement that reads the whole database from one snapshot and writes it,
    // schema and rows, into a new file (which must not exist yet).
    db.execute("VACUUM INTO ?1", [out.to_string_lossy()])?;
    Ok("VACUUM INTO 'backup.sqlite3'".to_owned())
}

/// Nothing to copy: the table came with the rest.
fn table(_db: &Connection, out: &Path, table: &str) -> rusqlite::Result<String> {
    Ok(format!(
        "already in the backup: {} rows",
        count_rows(out, table)?
    ))
}

/// Nothing to close.
fn finish(_db: &Connection, _out: &Path) -> rusqlite::Result<String> {
    Ok("done".to_owned())
}
