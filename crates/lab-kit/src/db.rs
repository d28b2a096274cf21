//! A backend-neutral database handle: the few calls scenario code needs - run a statement
//! with integer and text parameters, read an optional integer or one whole row, count the
//! rows it changed - written once with PostgreSQL's `$1` placeholders and run on SQLite or
//! (feature `postgres`) PostgreSQL. Its error keeps the driver's error as its source and says
//! whether the database answered "locked". A variant written against [`Db`] runs on either
//! backend, and [`World`] runs it as steps of the interleaving harness on either backend.

#[cfg(feature = "postgres")]
mod pg;
mod sqlite;
mod world;

use std::collections::BTreeMap;
use std::fmt;

use serde::Serialize;

pub use world::{DbStep, World, interleavings, run_sessions};

/// Which database a [`Db`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The name used in reports: `sqlite`, `postgres`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The locking clause of a statement written for both backends, per backend (keyed
/// `sqlite`, `postgres`): its words from ` FOR ` on, or `None`. A report observes it so
/// that a Django twin can hold it against the SQL Django writes for the same queryset on
/// each backend (Django leaves the clause out on SQLite, which has no row locks).
pub fn locking_clauses(
    sql: fn(Backend) -> &'static str,
) -> BTreeMap<&'static str, Option<&'static str>> {
    [Backend::Sqlite, Backend::Postgres]
        .into_iter()
        .map(|backend| {
            let text = sql(backend);
            (
                backend.as_str(),
                text.find(" FOR ").map(|at| &text[at + 1..]),
            )
        })
        .collect()
}

/// A statement parameter: integers and text are all the scenarios bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Param<'a> {
    Int(i64),
    Text(&'a str),
}

impl From<i64> for Param<'_> {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(value: &'a str) -> Self {
        Self::Text(value)
    }
}

/// A connection (or an open transaction) on either backend. SQL uses `$1`, `$2`, ... for
/// parameters: PostgreSQL's own syntax, and on SQLite named parameters that [`Db`] binds
/// by name, so `$2` may come before `$1` and a repeated `$1` is one parameter, as on
/// PostgreSQL.
pub trait Db {
    /// The database behind this handle.
    fn backend(&self) -> Backend;

    /// Runs one statement that returns no rows; how many rows it inserted, updated or
    /// deleted (0 for `BEGIN`, `COMMIT` and the like).
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;

    /// Runs one statement that yields at most one row (a `SELECT`, an `UPDATE ...
    /// RETURNING`) and reads its first column as an integer: `None` when there is no row.
    /// More than one row is an error.
    fn query_opt_i64(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<i64>, DbError>;

    /// Runs one statement that yields at most one row and reads every column of it, as an
    /// ORM loads one model instance: `None` when there is no row. Integer and text columns
    /// (and NULL) are read; a column of another type, or more than one row, is an error.
    fn query_opt_row(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<Vec<Cell>>, DbError>;
}

/// One column of a row read by [`Db::query_opt_row`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Null,
    Int(i64),
    Text(String),
}

impl Cell {
    /// The integer, if the column held one.
    pub fn int(&self) -> Option<i64> {
        match self {
            Self::Int(value) => Some(*value),
            _ => None,
        }
    }

    /// The text, if the column held text.
    pub fn text(&self) -> Option<&str> {
        match self {
            Self::Text(value) => Some(value),
            _ => None,
        }
    }
}

/// What a [`Db`] call failed with: the driver's own error, kept as the source.
#[derive(Debug)]
pub enum DbError {
    Sqlite(rusqlite::Error),
    #[cfg(feature = "postgres")]
    Postgres(::postgres::Error),
}

impl DbError {
    /// SQLite's `SQLITE_BUSY`, "database is locked": another connection holds the lock.
    pub fn is_busy(&self) -> bool {
        match self {
            Self::Sqlite(e) => crate::sqlite::is_busy(e),
            #[cfg(feature = "postgres")]
            Self::Postgres(_) => false,
        }
    }

    /// PostgreSQL's `55P03 lock_not_available`: a lock request that may not wait met a lock.
    pub fn is_lock_not_available(&self) -> bool {
        match self {
            Self::Sqlite(_) => false,
            #[cfg(feature = "postgres")]
            Self::Postgres(e) => e.code() == Some(&::postgres::error::SqlState::LOCK_NOT_AVAILABLE),
        }
    }
}

impl fmt::Display for DbError {
    /// The database's own words, as a transcript shows them: `database is locked`, or
    /// `could not obtain lock on row in relation "item" (SQLSTATE 55P03)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Sqlite(e) => write!(f, "{e}"),
            #[cfg(feature = "postgres")]
            Self::Postgres(e) => f.write_str(&crate::postgres::describe_error(e)),
        }
    }
}

impl std::error::Error for DbError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::Sqlite(e) => Some(e),
            #[cfg(feature = "postgres")]
            Self::Postgres(e) => Some(e),
        }
    }
}

impl From<rusqlite::Error> for DbError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Sqlite(error)
    }
}

#[cfg(feature = "postgres")]
impl From<::postgres::Error> for DbError {
    fn from(error: ::postgres::Error) -> Self {
        Self::Postgres(error)
    }
}

impl From<DbError> for crate::Error {
    fn from(error: DbError) -> Self {
        match error {
            DbError::Sqlite(e) => Self::Sqlite(e),
            #[cfg(feature = "postgres")]
            DbError::Postgres(e) => Self::Postgres(e),
        }
    }
}

#[cfg(test)]
mod tests;
