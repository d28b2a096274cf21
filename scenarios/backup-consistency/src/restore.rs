//! The restore and its checks: the backup file opened as the new database,
//! `PRAGMA integrity_check`, `PRAGMA foreign_key_check` (what `loaddata` checks before it
//! commits), every row read back, and the rows held against the database after each of
//! the writer's commits.

use std::path::Path;

use rusqlite::Connection;

use crate::model::Shop;

/// What the restored database holds and what its checks said.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Restored {
    /// `PRAGMA integrity_check`: `ok`, or the problems it listed.
    pub integrity: String,
    /// Every row `PRAGMA foreign_key_check` lists: `shop_order 5: customer_id 4 is not in
    /// shop_customer`.
    pub dangling: Vec<String>,
    pub shop: Shop,
}

impl Restored {
    /// The commit after which the database held exactly these rows (0: before any of the
    /// writer's), or `None`: the backup is no moment of the database at all.
    pub fn equals_commit(&self, states: &[Shop]) -> Option<usize> {
        states.iter().position(|s| *s == self.shop)
    }

    /// A good backup: intact, no reference left dangling, and the database as it was at
    /// one moment.
    pub fn consistent(&self, states: &[Shop]) -> bool {
        self.integrity == "ok" && self.dangling.is_empty() && self.equals_commit(states).is_some()
    }
}

/// Opens the backup at `path` as the new database and checks it.
pub fn restore(path: &Path) -> rusqlite::Result<Restored> {
    let conn = Connection::open(path)?;
    let mut stmt = conn.prepare("PRAGMA integrity_check")?;
    let problems: Vec<String> = stmt
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
    let found: Vec<(String, i64, String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?
        .collect::<Result<_, _>>()?;
    let mut dangling = Vec::new();
    for (table, rowid, parent, fk) in found {
        // The column of the reference that failed, and the value it holds.
        let column: String = conn.query_row(
            &format!("SELECT \"from\" FROM pragma_foreign_key_list('{table}') WHERE id = ?1"),
            [fk],
            |r| r.get(0),
        )?;
        let value: i64 = conn.query_row(
            &format!("SELECT {column} FROM {table} WHERE rowid = ?1"),
            [rowid],
            |r| r.get(0),
        )?;
        dangling.push(format!(
            "{table} {rowid}: {column} {value} is not in {parent}"
        ));
    }
    Ok(Restored {
        integrity: problems.join("; "),
        dangling,
        shop: Shop::read(&conn, "main")?,
    })
}
