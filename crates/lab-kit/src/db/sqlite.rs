//! [`Db`] on SQLite: `$N` parameters bound by name, rows changed, an optional integer.

use rusqlite::Connection;

use rusqlite::types::ValueRef;

use super::{Backend, Cell, Db, DbError, Param};

/// Prepares `sql` and binds `params[i]` to `$<i+1>`. SQLite numbers named parameters in
/// order of first appearance, so binding by position would swap `$2` and `$1` in
/// `SET a = $2 WHERE id = $1`; binding by name keeps PostgreSQL's meaning.
fn sqlite_prepare<'c>(
    conn: &'c Connection,
    sql: &str,
    params: &[Param<'_>],
) -> rusqlite::Result<rusqlite::Statement<'c>> {
    let mut stmt = conn.prepare(sql)?;
    if stmt.parameter_count() != params.len() {
        return Err(rusqlite::Error::InvalidParameterCount(
            params.len(),
            stmt.parameter_count(),
        ));
    }
    for (i, param) in params.iter().enumerate() {
        let name = format!("${}", i + 1);
        let index = stmt
            .parameter_index(&name)?
            .ok_or(rusqlite::Error::InvalidParameterName(name))?;
        match param {
            Param::Int(value) => stmt.raw_bind_parameter(index, value)?,
            Param::Text(value) => stmt.raw_bind_parameter(index, value)?,
        }
    }
    Ok(stmt)
}

fn sqlite_execute(conn: &Connection, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
    let mut stmt = sqlite_prepare(conn, sql, params)?;
    let changed = stmt.raw_execute()?;
    // sqlite3_changes() still holds the last INSERT/UPDATE/DELETE's count after a BEGIN or
    // COMMIT; those statements are read-only in SQLite's sense and changed nothing.
    Ok(if stmt.readonly() { 0 } else { changed as u64 })
}

fn sqlite_query(
    conn: &Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<i64>, DbError> {
    let mut stmt = sqlite_prepare(conn, sql, params)?;
    let mut rows = stmt.raw_query();
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let value = row.get(0)?;
    // Stepping on also finishes an `UPDATE ... RETURNING`, whatever it returned.
    if rows.next()?.is_some() {
        return Err(rusqlite::Error::QueryReturnedMoreThanOneRow.into());
    }
    Ok(Some(value))
}

fn sqlite_row(
    conn: &Connection,
    sql: &str,
    params: &[Param<'_>],
) -> Result<Option<Vec<Cell>>, DbError> {
    let mut stmt = sqlite_prepare(conn, sql, params)?;
    let mut rows = stmt.raw_query();
    let Some(row) = rows.next()? else {
        return Ok(None);
    };
    let columns = row.as_ref().column_count();
    let mut cells = Vec::with_capacity(columns);
    for i in 0..columns {
        cells.push(match row.get_ref(i)? {
            ValueRef::Null => Cell::Null,
            ValueRef::Integer(value) => Cell::Int(value),
            ValueRef::Text(bytes) => Cell::Text(String::from_utf8_lossy(bytes).into_owned()),
            other => {
                let name = row.as_ref().column_name(i)?.to_owned();
                return Err(rusqlite::Error::InvalidColumnType(i, name, other.data_type()).into());
            }
        });
    }
    if rows.next()?.is_some() {
        return Err(rusqlite::Error::QueryReturnedMoreThanOneRow.into());
    }
    Ok(Some(cells))
}

impl Db for Connection {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        sqlite_execute(self, sql, params)
    }
    fn query_opt_i64(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<i64>, DbError> {
        sqlite_query(self, sql, params)
    }
    fn query_opt_row(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<Vec<Cell>>, DbError> {
        sqlite_row(self, sql, p)
    }
}

/// A shared connection is enough for SQLite (rusqlite takes `&self`), and it is all a
/// step of [`crate::interleave::SqliteSession`] is given.
impl Db for &Connection {
    fn backend(&self) -> Backend {
        Backend::Sqlite
    }
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        sqlite_execute(self, sql, params)
    }
    fn query_opt_i64(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<i64>, DbError> {
        sqlite_query(self, sql, params)
    }
    fn query_opt_row(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<Vec<Cell>>, DbError> {
        sqlite_row(self, sql, p)
    }
}
