//! [`Db`] on PostgreSQL (feature `postgres`): a client or an open transaction.

use postgres::GenericClient;
use postgres::types::{ToSql, Type};

use super::{Backend, Cell, Db, DbError, Param};

fn params<'a>(params: &'a [Param<'_>]) -> Vec<&'a (dyn ToSql + Sync)> {
    params
        .iter()
        .map(|p| match p {
            Param::Int(v) => v as &(dyn ToSql + Sync),
            Param::Text(t) => t as &(dyn ToSql + Sync),
        })
        .collect()
}

fn execute(c: &mut impl GenericClient, sql: &str, p: &[Param<'_>]) -> Result<u64, DbError> {
    Ok(c.execute(sql, &params(p))?)
}

fn query(c: &mut impl GenericClient, sql: &str, p: &[Param<'_>]) -> Result<Option<i64>, DbError> {
    match c.query_opt(sql, &params(p))? {
        Some(row) => Ok(Some(row.try_get(0)?)),
        None => Ok(None),
    }
}

fn row(
    c: &mut impl GenericClient,
    sql: &str,
    p: &[Param<'_>],
) -> Result<Option<Vec<Cell>>, DbError> {
    let Some(row) = c.query_opt(sql, &params(p))? else {
        return Ok(None);
    };
    let mut cells = Vec::with_capacity(row.len());
    for (i, column) in row.columns().iter().enumerate() {
        let int = |v: Option<i64>| v.map_or(Cell::Null, Cell::Int);
        cells.push(match *column.type_() {
            Type::INT8 => int(row.try_get(i)?),
            Type::INT4 => int(row.try_get::<_, Option<i32>>(i)?.map(i64::from)),
            Type::INT2 => int(row.try_get::<_, Option<i16>>(i)?.map(i64::from)),
            // Text, or the driver's own error naming the type it cannot read as text.
            _ => row
                .try_get::<_, Option<String>>(i)?
                .map_or(Cell::Null, Cell::Text),
        });
    }
    Ok(Some(cells))
}

impl Db for postgres::Client {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
    fn execute(&mut self, sql: &str, p: &[Param<'_>]) -> Result<u64, DbError> {
        execute(self, sql, p)
    }
    fn query_opt_i64(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<i64>, DbError> {
        query(self, sql, p)
    }
    fn query_opt_row(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<Vec<Cell>>, DbError> {
        row(self, sql, p)
    }
}

impl Db for postgres::Transaction<'_> {
    fn backend(&self) -> Backend {
        Backend::Postgres
    }
    fn execute(&mut self, sql: &str, p: &[Param<'_>]) -> Result<u64, DbError> {
        execute(self, sql, p)
    }
    fn query_opt_i64(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<i64>, DbError> {
        query(self, sql, p)
    }
    fn query_opt_row(&mut self, sql: &str, p: &[Param<'_>]) -> Result<Option<Vec<Cell>>, DbError> {
        row(self, sql, p)
    }
}
