//! [`Db`] on PostgreSQL (feature `postgres`): a client or an open transaction.

use postgres::GenericClient;
use postgres::types::ToSql;

use super::{Backend, Db, DbError, Param};

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
}
