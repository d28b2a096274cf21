//! SQLite helpers: a fresh database per run, a statement log, and small query helpers.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use rusqlite::trace::{TraceEvent, TraceEventCodes};
use rusqlite::types::ValueRef;
use rusqlite::{Connection, ErrorCode};

use crate::report::one_line;

/// A fresh in-memory database with foreign keys enforced. Enough for one session; for two
/// sessions use [`TempDb`], because a shared-cache in-memory database locks per table and
/// answers `SQLITE_LOCKED`, which an application on a real file never sees.
pub fn memory() -> rusqlite::Result<Connection> {
    let conn = Connection::open_in_memory()?;
    conn.pragma_update(None, "foreign_keys", true)?;
    Ok(conn)
}

/// A database file in its own temporary directory, removed on drop. Every connection
/// opened through it is one session, as separate processes or threads of an application
/// would be.
#[derive(Debug)]
pub struct TempDb {
    // Held for its Drop: the directory and the database go away with this value.
    _dir: tempfile::TempDir,
    path: PathBuf,
    /// Whether connections skip fsync (see [`TempDb::scratch`]).
    no_sync: bool,
}

impl TempDb {
    /// Creates the directory; the database file appears on the first connection.
    pub fn new() -> std::io::Result<Self> {
        let dir = tempfile::Builder::new().prefix("pitfall-lab-").tempdir()?;
        let path = dir.path().join("lab.sqlite3");
        Ok(Self {
            _dir: dir,
            path,
            no_sync: false,
        })
    }

    /// [`TempDb::new`] for a story where durability plays no part: every connection sets
    /// `PRAGMA synchronous = OFF`, so no commit waits for the disk. Locks, transactions
    /// and what each session reads are exactly the same; only a power cut could lose the
    /// file, which is deleted on drop anyway. For scenarios that build dozens of databases
    /// per run (one per interleaving), where the fsyncs were most of the run's time.
    pub fn scratch() -> std::io::Result<Self> {
        Ok(Self {
            no_sync: true,
            ..Self::new()?
        })
    }

    /// The database file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new connection that answers `SQLITE_BUSY` at once when it meets a lock instead of
    /// retrying for five seconds (rusqlite's default): the interleaving harness then
    /// reports the step as waiting, and no timer decides anything.
    pub fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open(&self.path)?;
        conn.busy_timeout(Duration::ZERO)?;
        conn.pragma_update(None, "foreign_keys", true)?;
        if self.no_sync {
            conn.pragma_update(None, "synchronous", "OFF")?;
        }
        Ok(conn)
    }

    /// A new connection that waits up to `timeout` for a lock, as Django's SQLite backend
    /// does (its `timeout` option).
    pub fn connect_waiting(&self, timeout: Duration) -> rusqlite::Result<Connection> {
        let conn = self.connect()?;
        conn.busy_timeout(timeout)?;
        Ok(conn)
    }
}

/// Runs `sql` with `params` and reads every row with `read`: a read path's query, whole.
pub fn query<T>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
    read: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> rusqlite::Result<Vec<T>> {
    let mut stmt = conn.prepare(sql)?;
    let rows = stmt.query_map(params, read)?;
    rows.collect()
}

/// Whether an error is SQLite's "database is locked" (`SQLITE_BUSY`).
pub fn is_busy(error: &rusqlite::Error) -> bool {
    error.sqlite_error_code() == Some(ErrorCode::DatabaseBusy)
}

/// Every statement a connection started, in order, captured through SQLite's
/// `sqlite3_trace_v2` hook: what the database was really asked, with no help from the
/// code under test. Used to show SQL in transcripts and to count queries.
#[derive(Debug, Clone, Default)]
pub struct StatementLog {
    statements: Arc<Mutex<Vec<String>>>,
}

impl StatementLog {
    /// Starts logging every statement `conn` runs. One log per connection: attaching a
    /// second log replaces the first.
    pub fn attach(conn: &mut Connection) -> rusqlite::Result<Self> {
        Self::attach_as(conn, false)
    }

    /// Like [`attach`](Self::attach), with the bound values written in
    /// (`sqlite3_expanded_sql`): `... SET x = 2 WHERE id = 1`, not `... SET x = ?1 ...`.
    pub fn attach_expanded(conn: &mut Connection) -> rusqlite::Result<Self> {
        Self::attach_as(conn, true)
    }

    fn attach_as(conn: &mut Connection, expanded: bool) -> rusqlite::Result<Self> {
        let log = Self::default();
        let sink = Arc::clone(&log.statements);
        conn.trace_v2(
            TraceEventCodes::SQLITE_TRACE_STMT,
            Some(move |event: TraceEvent<'_>| {
                if let TraceEvent::Stmt(stmt, sql) = event {
                    // Triggers report their body as a comment; only real statements count.
                    if !sql.starts_with("--") {
                        let text = expanded.then(|| stmt.expanded_sql()).flatten();
                        let text = text.unwrap_or_else(|| sql.to_owned());
                        sink.lock()
                            .unwrap_or_else(PoisonError::into_inner)
                            .push(one_line(&text));
                    }
                }
            }),
        )?;
        Ok(log)
    }

    /// The statements logged so far, oldest first, each on one line.
    pub fn statements(&self) -> Vec<String> {
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// Takes the statements logged so far, leaving the log empty.
    pub fn take(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .statements
                .lock()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    /// How many statements were logged.
    pub fn count(&self) -> usize {
        self.statements
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }
}

/// Runs one statement and describes what came back the way a transcript shows it:
/// `col=value, ...` per row (rows separated by `; `), `(no rows)`, or `N row(s) affected`.
pub fn run_and_describe(conn: &Connection, sql: &str) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(sql)?;
    if stmt.column_count() == 0 {
        let changed = stmt.execute([])?;
        // sqlite3_changes() keeps the count of the last INSERT/UPDATE/DELETE, so only
        // those statements get a count; BEGIN, COMMIT, CREATE ... just succeed.
        let keyword = sql
            .split_whitespace()
            .next()
            .unwrap_or("")
            .to_ascii_uppercase();
        let is_dml = matches!(keyword.as_str(), "INSERT" | "UPDATE" | "DELETE" | "REPLACE");
        return Ok(if is_dml {
            format!("{changed} row(s) affected")
        } else {
            "ok".to_owned()
        });
    }
    let names: Vec<String> = stmt.column_names().map(str::to_owned).collect();
    let mut rows = stmt.query([])?;
    let mut described = Vec::new();
    while let Some(row) = rows.next()? {
        let mut cells = Vec::with_capacity(names.len());
        for (i, name) in names.iter().enumerate() {
            cells.push(format!("{name}={}", describe_value(row.get_ref(i)?)));
        }
        described.push(cells.join(", "));
    }
    Ok(if described.is_empty() {
        "(no rows)".to_owned()
    } else {
        described.join("; ")
    })
}

fn describe_value(value: ValueRef<'_>) -> String {
    match value {
        ValueRef::Null => "NULL".to_owned(),
        ValueRef::Integer(i) => i.to_string(),
        ValueRef::Real(f) => f.to_string(),
        ValueRef::Text(t) => format!("'{}'", String::from_utf8_lossy(t)),
        ValueRef::Blob(b) => format!("<{} bytes>", b.len()),
    }
}

#[cfg(test)]
mod tests;
