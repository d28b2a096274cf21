//! The deploy: `migrate` with the files of the checked-out branch against the "production"
//! database, and what that database held before and after, as SQLite reports it.

use std::path::Path;

use lab_kit::Transcript;
use lab_kit::sqlite::StatementLog;
use rusqlite::Connection;

use crate::engine::{self, Graph, MigrationError};
use crate::model::{APP, TABLE};

/// One run of `migrate` against the production database, with what it held before/after.
#[derive(Debug)]
pub(super) struct Deploy {
    pub(super) applied_before: Vec<String>,
    pub(super) columns_before: Vec<String>,
    /// The names it applied, or the engine's error message.
    pub(super) result: Result<Vec<String>, String>,
    pub(super) applied_after: Vec<String>,
    pub(super) columns_after: Vec<String>,
    /// `sqlite_master.sql` of the table afterwards.
    pub(super) table_sql_after: Option<String>,
    /// Every statement the database ran during the migrate (SQLite's trace hook).
    pub(super) statements: Vec<String>,
}

/// Runs `migrate` with the migration files in `dir` against `prod` and records it. A
/// refused or failed migrate is part of the story, not an error of the run.
pub(super) fn deploy(
    prod: &mut Connection,
    statements: &StatementLog,
    dir: &Path,
    log: &mut Transcript,
) -> lab_kit::Result<Deploy> {
    let applied_before = engine::applied(prod, APP)?;
    let columns_before = engine::columns(prod, TABLE)?;
    statements.take();
    let result = Graph::load(APP, dir)
        .and_then(|graph| engine::migrate(prod, &graph))
        .map_err(|e: MigrationError| e.to_string());
    let ran = statements.take();
    match &result {
        Ok(names) if names.is_empty() => log.push("deploy", "migrate -> no migrations to apply"),
        Ok(names) => log.push("deploy", format!("migrate -> applied {}", names.join(", "))),
        Err(error) => log.push("deploy", format!("migrate -> ERROR: {error}")),
    }
    for sql in &ran {
        log.push("db", sql);
    }
    if ran.is_empty() {
        log.push("db", "(no statement ran)");
    }
    Ok(Deploy {
        applied_before,
        columns_before,
        result,
        applied_after: engine::applied(prod, APP)?,
        columns_after: engine::columns(prod, TABLE)?,
        table_sql_after: engine::table_sql(prod, TABLE)?,
        statements: ran,
    })
}
