//! The SQLite session driver: one connection per session (opened with
//! [`crate::sqlite::TempDb::connect`], which answers `SQLITE_BUSY` at once); a step that
//! gets BUSY is waiting and is retried, whole, each time the harness resumes it.

use std::fmt;

use rusqlite::Connection;

use super::{Progress, SessionDriver};
use crate::sqlite;

/// What a SQLite step's code returns: a result text, or the error (BUSY means waiting).
pub type SqliteStepResult = rusqlite::Result<String>;

type SqliteStepFn = Box<dyn FnMut(&Connection) -> SqliteStepResult>;

struct SqliteStep {
    name: String,
    shown: String,
    run: SqliteStepFn,
}

/// A SQLite session: one connection (open it with [`crate::sqlite::TempDb::connect`], which
/// answers BUSY at once) and its steps. A step that gets `SQLITE_BUSY` is waiting; it is
/// retried, whole, when resumed - so a step should be one statement, as in the isolation
/// tester, or code that has done nothing before the statement that can be busy.
pub struct SqliteSession {
    name: String,
    conn: Connection,
    steps: Vec<SqliteStep>,
    pending: Option<usize>,
}

impl fmt::Debug for SqliteSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SqliteSession")
            .field("name", &self.name)
            .field("steps", &self.step_names())
            .finish_non_exhaustive()
    }
}

impl SqliteSession {
    /// A session called `name` on `conn`, with no steps yet.
    pub fn new(name: &str, conn: Connection) -> Self {
        Self {
            name: name.to_owned(),
            conn,
            steps: Vec::new(),
            pending: None,
        }
    }

    /// A step that runs one SQL statement and shows what came back.
    #[must_use]
    pub fn sql(self, step: &str, sql: &str) -> Self {
        let owned = sql.to_owned();
        self.step(step, sql, move |conn| {
            sqlite::run_and_describe(conn, &owned)
        })
    }

    /// A step that runs application code (read a value, decide, write) on the session's
    /// connection; `shown` is what the transcript prints for it.
    #[must_use]
    pub fn step(
        mut self,
        step: &str,
        shown: &str,
        run: impl FnMut(&Connection) -> SqliteStepResult + 'static,
    ) -> Self {
        self.steps.push(SqliteStep {
            name: step.to_owned(),
            shown: shown.to_owned(),
            run: Box::new(run),
        });
        self
    }

    /// The session's connection, to inspect the database after the permutation.
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn attempt(&mut self, index: usize) -> Progress {
        let step = &mut self.steps[index];
        match (step.run)(&self.conn) {
            Ok(text) => {
                self.pending = None;
                Progress::Done(Ok(text))
            }
            Err(e) if sqlite::is_busy(&e) => {
                self.pending = Some(index);
                Progress::Waiting("SQLITE_BUSY, database is locked".to_owned())
            }
            Err(e) => {
                self.pending = None;
                Progress::Done(Err(e.to_string()))
            }
        }
    }
}

impl SessionDriver for SqliteSession {
    fn name(&self) -> &str {
        &self.name
    }

    fn step_names(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.name.clone()).collect()
    }

    fn describe(&self, step: &str) -> String {
        self.steps
            .iter()
            .find(|s| s.name == step)
            .map_or_else(String::new, |s| s.shown.clone())
    }

    fn start(&mut self, step: &str) -> Progress {
        match self.steps.iter().position(|s| s.name == step) {
            Some(index) => self.attempt(index),
            None => Progress::Done(Err(format!("no step `{step}` in session {}", self.name))),
        }
    }

    fn resume(&mut self) -> Progress {
        match self.pending {
            Some(index) => self.attempt(index),
            None => Progress::Done(Err("nothing to resume".to_owned())),
        }
    }
}
