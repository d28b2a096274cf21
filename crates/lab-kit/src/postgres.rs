//! PostgreSQL helpers (feature `postgres`): the server named by `LAB_POSTGRES_URL`
//! (`scripts/with-postgres` starts a throwaway one), a fresh schema per run so tests can
//! share one server in parallel, and how a PostgreSQL error reads in a transcript. The
//! session driver for the interleaving harness is [`crate::interleave::PgSession`].

use std::sync::atomic::{AtomicU64, Ordering};

use postgres::{Client, Config, NoTls, SimpleQueryMessage};

pub use crate::POSTGRES_URL_VAR as URL_VAR;
pub use crate::postgres_url as url;

/// The server's URL for a test that needs it, or a panic that says how to provide it: a
/// PostgreSQL test run with `--include-ignored` but no server must fail, never pass.
///
/// # Panics
/// When `LAB_POSTGRES_URL` is not set.
#[track_caller]
pub fn url_for_test(command: &str) -> String {
    url().unwrap_or_else(|| {
        panic!(
            "{URL_VAR} is not set, so this PostgreSQL test cannot run; \
             run it as `scripts/with-postgres {command}`"
        )
    })
}

/// A schema of its own on the shared server, dropped (with everything in it) on drop.
/// Every connection opened through it has `search_path` set to it, so scenario SQL names
/// plain tables and transcripts never show the generated schema name.
pub struct TempSchema {
    config: Config,
    name: String,
}

impl TempSchema {
    /// Creates a uniquely named schema on the server at `url`.
    pub fn new(url: &str) -> Result<Self, postgres::Error> {
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let config: Config = url.parse()?;
        // Unique across processes (pid) and within one (counter); never shown in a report.
        let name = format!(
            "lab_{}_{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        config
            .connect(NoTls)?
            .batch_execute(&format!("CREATE SCHEMA {name}"))?;
        Ok(Self { config, name })
    }

    /// A new connection (one session) whose `search_path` is this schema.
    pub fn connect(&self) -> Result<Client, postgres::Error> {
        let mut config = self.config.clone();
        config.options(&format!("-c search_path={}", self.name));
        config.connect(NoTls)
    }
}

impl std::fmt::Debug for TempSchema {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TempSchema")
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl Drop for TempSchema {
    fn drop(&mut self) {
        // Best effort: a failed drop leaves a schema in a throwaway cluster, nothing worse.
        // A connection of its own keeps the value `Sync`, so threads can share it.
        if let Ok(mut client) = self.config.connect(NoTls) {
            let _ = client.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// How a PostgreSQL error reads in a transcript: the server's message and SQLSTATE
/// (`could not obtain lock on row in relation "item" (SQLSTATE 55P03)`), or the client's
/// own description when the server said nothing.
pub fn describe_error(error: &postgres::Error) -> String {
    match error.as_db_error() {
        Some(db) => format!("{} (SQLSTATE {})", db.message(), db.code().code()),
        None => error.to_string(),
    }
}

/// Runs one statement with the simple query protocol and describes what came back the way
/// [`crate::sqlite::run_and_describe`] does: `col=value, ...` per row (values as the
/// server's text), `(no rows)`, `N row(s) affected`, or `ok`.
pub fn run_and_describe(client: &mut Client, sql: &str) -> Result<String, postgres::Error> {
    let keyword = sql
        .split_whitespace()
        .next()
        .unwrap_or("")
        .to_ascii_uppercase();
    let mut rows = Vec::new();
    let mut affected = None;
    let mut returns_rows = false;
    for message in client.simple_query(sql)? {
        match message {
            SimpleQueryMessage::Row(row) => {
                let cells: Vec<String> = row
                    .columns()
                    .iter()
                    .enumerate()
                    .map(|(i, col)| format!("{}={}", col.name(), row.get(i).unwrap_or("NULL")))
                    .collect();
                rows.push(cells.join(", "));
            }
            SimpleQueryMessage::RowDescription(_) => returns_rows = true,
            SimpleQueryMessage::CommandComplete(n) => affected = Some(n),
            _ => {}
        }
    }
    let is_dml = matches!(keyword.as_str(), "INSERT" | "UPDATE" | "DELETE");
    Ok(if !rows.is_empty() {
        rows.join("; ")
    } else if returns_rows || keyword == "SELECT" {
        "(no rows)".to_owned()
    } else if is_dml {
        format!("{} row(s) affected", affected.unwrap_or(0))
    } else {
        "ok".to_owned()
    })
}
