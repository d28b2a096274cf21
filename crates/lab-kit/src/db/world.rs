//! One story's database on either backend - a fresh SQLite file or a fresh PostgreSQL
//! schema - with sessions of the interleaving harness whose steps are written once against
//! [`Db`], plain connections to check what the story left, and every interleaving of two
//! sessions' steps.

use std::fmt;
use std::time::Duration;

use rusqlite::Connection;

use super::{Backend, Db, DbError};
use crate::interleave::{self, HarnessError, Interleaving, SessionDriver, SqliteSession};
use crate::sqlite::TempDb;

type StepFn = Box<dyn FnMut(&mut dyn Db) -> Result<String, DbError> + Send>;

/// One named step of a session, written against [`Db`]: what the transcript shows for it,
/// and the code, which runs on whichever backend the session has.
pub struct DbStep {
    name: String,
    shown: String,
    run: StepFn,
}

impl DbStep {
    /// A step called `name`, shown as `shown`, running `run` on the session's connection.
    /// On SQLite a step that gets `SQLITE_BUSY` is retried whole, so code that can be busy
    /// should be busy before it changed anything (its first statement).
    pub fn new(
        name: &str,
        shown: &str,
        run: impl FnMut(&mut dyn Db) -> Result<String, DbError> + Send + 'static,
    ) -> Self {
        Self {
            name: name.to_owned(),
            shown: shown.to_owned(),
            run: Box::new(run),
        }
    }

    /// A step that runs one statement without parameters (`BEGIN`, `COMMIT`) and answers
    /// `ok`.
    pub fn sql(name: &str, sql: &'static str) -> Self {
        Self::new(name, sql, move |db| {
            db.execute(sql, &[]).map(|_| "ok".to_owned())
        })
    }

    /// The step's name.
    pub fn name(&self) -> &str {
        &self.name
    }
}

impl fmt::Debug for DbStep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DbStep")
            .field("name", &self.name)
            .field("shown", &self.shown)
            .finish_non_exhaustive()
    }
}

/// A fresh database for one story (or one stress run) on either backend. Drop every
/// session before the world: on PostgreSQL dropping the world drops its schema, which
/// waits for the sessions' locks.
#[derive(Debug)]
pub struct World(Inner);

#[derive(Debug)]
enum Inner {
    /// A database file of its own; one connection per session.
    Sqlite(TempDb),
    #[cfg(feature = "postgres")]
    Postgres(Box<PgWorld>),
}

/// A schema of its own on the server named by `LAB_POSTGRES_URL`, and the monitor
/// connection that tells the harness who is blocked by whom.
#[cfg(feature = "postgres")]
#[derive(Debug)]
struct PgWorld {
    schema: crate::postgres::TempSchema,
    monitor: interleave::Monitor,
}

impl World {
    /// A fresh database on `backend`, set up with `setup` (any number of statements). On
    /// PostgreSQL it is a new schema on the server named by `LAB_POSTGRES_URL`.
    pub fn new(backend: Backend, setup: &str) -> crate::Result<Self> {
        match backend {
            Backend::Sqlite => {
                let db = TempDb::new()?;
                db.connect()?.execute_batch(setup)?;
                Ok(Self(Inner::Sqlite(db)))
            }
            #[cfg(feature = "postgres")]
            Backend::Postgres => {
                let url = crate::postgres::url().ok_or_else(|| {
                    crate::Error::scenario(format!("{} is not set", crate::POSTGRES_URL_VAR))
                })?;
                let schema = crate::postgres::TempSchema::new(&url)?;
                schema.connect()?.batch_execute(setup)?;
                let monitor = interleave::Monitor::new(schema.connect()?);
                Ok(Self(Inner::Postgres(Box::new(PgWorld { schema, monitor }))))
            }
            #[cfg(not(feature = "postgres"))]
            Backend::Postgres => Err(crate::Error::scenario(
                "lab-kit was built without its `postgres` feature",
            )),
        }
    }

    /// The backend this world lives on.
    pub fn backend(&self) -> Backend {
        match &self.0 {
            Inner::Sqlite(_) => Backend::Sqlite,
            #[cfg(feature = "postgres")]
            Inner::Postgres(_) => Backend::Postgres,
        }
    }

    /// A new connection, to check what a story left. On SQLite it answers `SQLITE_BUSY` at
    /// once when it meets a lock.
    pub fn connect(&self) -> crate::Result<Box<dyn Db + Send>> {
        match &self.0 {
            Inner::Sqlite(db) => Ok(Box::new(db.connect()?)),
            #[cfg(feature = "postgres")]
            Inner::Postgres(pg) => Ok(Box::new(pg.schema.connect()?)),
        }
    }

    /// A new connection for a worker thread: on SQLite it waits up to `timeout` for a lock,
    /// as Django's SQLite backend does (its `timeout` option); PostgreSQL waits for row
    /// locks by itself.
    pub fn connect_waiting(&self, timeout: Duration) -> crate::Result<Box<dyn Db + Send>> {
        match &self.0 {
            Inner::Sqlite(db) => Ok(Box::new(db.connect_waiting(timeout)?)),
            #[cfg(feature = "postgres")]
            Inner::Postgres(_) => self.connect(),
        }
    }

    /// A session of the interleaving harness called `name`, on a connection of its own,
    /// with `steps`. On SQLite a step is waiting while it gets `SQLITE_BUSY`; on PostgreSQL
    /// while the monitor sees it blocked by another session of this world.
    pub fn session(&self, name: &str, steps: Vec<DbStep>) -> crate::Result<Box<dyn SessionDriver>> {
        match &self.0 {
            Inner::Sqlite(db) => {
                let mut session = SqliteSession::new(name, db.connect()?);
                for mut step in steps {
                    session = session.step(&step.name, &step.shown, move |conn: &Connection| {
                        let mut db = conn;
                        match (step.run)(&mut db) {
                            Ok(text) => Ok(text),
                            // BUSY must stay SQLite's own error: it marks the step waiting.
                            Err(DbError::Sqlite(e)) => Err(e),
                            #[cfg(feature = "postgres")]
                            Err(other) => Ok(foreign(&other)),
                        }
                    });
                }
                Ok(Box::new(session))
            }
            #[cfg(feature = "postgres")]
            Inner::Postgres(pg) => {
                let client = pg.schema.connect()?;
                let mut session = interleave::PgSession::new(name, client, &pg.monitor)?;
                for mut step in steps {
                    session = session.step(&step.name, &step.shown, move |client| {
                        match (step.run)(client) {
                            Ok(text) => Ok(text),
                            Err(DbError::Postgres(e)) => Err(e),
                            Err(other) => Ok(foreign(&other)),
                        }
                    });
                }
                Ok(Box::new(session))
            }
        }
    }
}

/// A step's error of the other backend's kind. A connection never fails with the other
/// driver's error, and a session can carry only its own driver's; should a step make one
/// up, the transcript still shows it, the way the harness shows an error.
#[cfg(feature = "postgres")]
fn foreign(error: &DbError) -> String {
    format!("ERROR: {error}")
}

/// Runs `permutation` over boxed sessions ([`World::session`]); see [`interleave::run`].
pub fn run_sessions(
    sessions: &mut [Box<dyn SessionDriver>],
    permutation: &[&str],
) -> Result<Interleaving, HarnessError> {
    let mut refs: Vec<&mut dyn SessionDriver> = Vec::with_capacity(sessions.len());
    for session in sessions {
        refs.push(session.as_mut());
    }
    interleave::run(&mut refs, permutation)
}

/// Every interleaving of `a` and `b` that keeps each one's order: C(|a|+|b|, |a|) of them.
/// Two sessions of a few steps have few enough to try them all instead of sampling.
pub fn interleavings(a: &[String], b: &[String]) -> Vec<Vec<String>> {
    match (a.split_first(), b.split_first()) {
        (None, _) => vec![b.to_vec()],
        (_, None) => vec![a.to_vec()],
        (Some((x, rest_a)), Some((y, rest_b))) => {
            let mut all = Vec::new();
            for (head, tails) in [(x, interleavings(rest_a, b)), (y, interleavings(a, rest_b))] {
                for mut tail in tails {
                    tail.insert(0, head.clone());
                    all.push(tail);
                }
            }
            all
        }
    }
}
