//! A [`Db`] that passes every call on and keeps each statement with its parameters written
//! in, the way Django's query log shows them: what a step really sent, on either backend.

use lab_kit::db::{Backend, Cell, Db, DbError, Param};

/// Wraps a connection for the length of one step (or one request).
pub struct Logged<'a> {
    db: &'a mut dyn Db,
    sent: Vec<String>,
}

impl std::fmt::Debug for Logged<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Logged")
            .field("sent", &self.sent)
            .finish_non_exhaustive()
    }
}

impl<'a> Logged<'a> {
    /// Starts logging the statements sent through `db`.
    pub fn new(db: &'a mut dyn Db) -> Self {
        Self {
            db,
            sent: Vec::new(),
        }
    }

    /// The statements sent so far, oldest first, leaving the log empty.
    pub fn take(&mut self) -> Vec<String> {
        std::mem::take(&mut self.sent)
    }

    fn log(&mut self, sql: &str, params: &[Param<'_>]) {
        let mut text = sql.to_owned();
        // From the highest number down, so `$1` never eats the start of `$10`.
        for (i, param) in params.iter().enumerate().rev() {
            let value = match param {
                Param::Int(v) => v.to_string(),
                Param::Text(t) => format!("'{}'", t.replace('\'', "''")),
            };
            text = text.replace(&format!("${}", i + 1), &value);
        }
        self.sent.push(text);
    }
}

impl Db for Logged<'_> {
    fn backend(&self) -> Backend {
        self.db.backend()
    }

    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        self.log(sql, params);
        self.db.execute(sql, params)
    }

    fn query_opt_i64(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Option<i64>, DbError> {
        self.log(sql, params);
        self.db.query_opt_i64(sql, params)
    }

    fn query_opt_row(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<Vec<Cell>>, DbError> {
        self.log(sql, params);
        self.db.query_opt_row(sql, params)
    }
}
