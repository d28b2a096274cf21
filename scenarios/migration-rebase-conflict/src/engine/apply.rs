//! What the engine does with a graph: `check` (`makemigrations --check`), `migrate` and
//! `merge` (Django's `makemigrations --merge`), plus reads of what a database holds.

use std::collections::BTreeSet;
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;

use rusqlite::{Connection, OptionalExtension};

use super::{Graph, Migration, MigrationError};

/// Django's conflict detection (`MigrationLoader.detect_conflicts`): more than one leaf
/// is an error naming them all. `makemigrations --check` and `migrate` both run it.
pub fn check(graph: &Graph) -> Result<(), MigrationError> {
    let leaves = graph.leaves();
    if leaves.len() > 1 {
        return Err(MigrationError::Conflict {
            app: graph.app().to_owned(),
            leaves,
        });
    }
    Ok(())
}

/// Applies every migration of `graph` that `conn` has not recorded, parents first, each
/// in its own transaction together with the row that records it. Returns the names it
/// applied. The conflict check comes before the database is touched at all, so a refused
/// migrate leaves the schema and the applied table exactly as they were.
pub fn migrate(conn: &mut Connection, graph: &Graph) -> Result<Vec<String>, MigrationError> {
    check(graph)?;
    // Django's table also has an `applied` timestamp; it is left out so that reports
    // hold no wall-clock time. The id keeps the order in which migrations were applied.
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS django_migrations (
             id   INTEGER PRIMARY KEY AUTOINCREMENT,
             app  TEXT NOT NULL,
             name TEXT NOT NULL
         )",
    )?;
    let done: BTreeSet<String> = applied(conn, graph.app())?.into_iter().collect();
    let mut newly = Vec::new();
    for migration in graph.order() {
        if done.contains(&migration.name) {
            continue;
        }
        let failed = |source| MigrationError::Apply {
            migration: migration.name.clone(),
            source,
        };
        let tx = conn.transaction().map_err(failed)?;
        tx.execute_batch(&migration.sql).map_err(failed)?;
        tx.execute(
            "INSERT INTO django_migrations (app, name) VALUES (?1, ?2)",
            (graph.app(), &migration.name),
        )
        .map_err(failed)?;
        tx.commit().map_err(failed)?;
        newly.push(migration.name.clone());
    }
    Ok(newly)
}

/// Writes a migration that depends on every leaf of `graph` and does nothing else, into
/// `dir`, as `makemigrations --merge` does; `None` if there is nothing to merge.
///
/// The name follows Django: the highest leaf number plus one, `merge`, and the leaf
/// names when they are short enough (Django falls back to a timestamp; this engine to the
/// bare `NNNN_merge`, so the output stays deterministic).
pub fn merge(graph: &Graph, dir: &Path) -> Result<Option<Migration>, MigrationError> {
    let leaves = graph.leaves();
    if leaves.len() < 2 {
        return Ok(None);
    }
    let number = leaves
        .iter()
        .filter_map(|name| leading_number(name))
        .max()
        .unwrap_or(0)
        + 1;
    let joined = leaves.join("_");
    let name = if joined.len() <= 47 {
        format!("{number:04}_merge_{joined}")
    } else {
        format!("{number:04}_merge")
    };
    let text = Migration::render(
        &name,
        &leaves,
        "-- no operations: it only joins the histories of its parents\n",
    );
    let path = dir.join(format!("{name}.sql"));
    let write_err = |source| MigrationError::Write {
        path: path.clone(),
        source,
    };
    // `create_new`: never overwrite a migration someone already wrote.
    let mut file = OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(write_err)?;
    file.write_all(text.as_bytes()).map_err(write_err)?;
    Ok(Some(Migration::parse(&path, &text)?))
}

/// The migrations of `app` that `conn` recorded as applied, in the order they were
/// applied; empty if the table does not exist yet.
pub fn applied(conn: &Connection, app: &str) -> Result<Vec<String>, MigrationError> {
    if table_sql(conn, "django_migrations")?.is_none() {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT name FROM django_migrations WHERE app = ?1 ORDER BY id")?;
    let names = stmt.query_map([app], |row| row.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

/// The column names of `table`, from `PRAGMA table_info`.
pub fn columns(conn: &Connection, table: &str) -> Result<Vec<String>, MigrationError> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info(?1) ORDER BY cid")?;
    let names = stmt.query_map([table], |row| row.get(0))?;
    Ok(names.collect::<Result<_, _>>()?)
}

/// The `CREATE TABLE` statement SQLite keeps for `table` in `sqlite_master`.
pub fn table_sql(conn: &Connection, table: &str) -> Result<Option<String>, MigrationError> {
    Ok(conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?1",
            [table],
            |row| row.get(0),
        )
        .optional()?)
}

/// `0003` of `0003_a_item_color`, as Django's `parse_number` reads it.
fn leading_number(name: &str) -> Option<u32> {
    let digits: String = name.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}
