//! The support library every Pitfall Lab scenario uses: the scenario contract and its
//! `Report`, what a variant needs and whether this machine has it, SQLite helpers, a
//! backend-neutral database handle (`db`), the interleaving harness, text tables,
//! measurement helpers (heap, throughput), test helpers, (behind the `http` feature)
//! loopback HTTP helpers and measured downloads of a table (`stream`), and (behind
//! `postgres`) PostgreSQL helpers.

pub mod db;
pub mod interleave;
pub mod measure;
pub mod need;
pub mod report;
pub mod scenario;
pub mod sqlite;
pub mod table;
pub mod testing;

#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "proptest")]
pub mod property;
#[cfg(feature = "http")]
pub mod stream;

pub use need::Need;
pub use report::{Bar, Chart, Report, Transcript};
pub use scenario::{
    BenchFn, BenchOptions, Difficulty, Outcome, Role, Scenario, ScenarioRun, Tag, Twin, Variant,
    VariantResult,
};
pub use table::Table;

/// The environment variable that names the PostgreSQL server:
/// `postgres://user@127.0.0.1:port/db` (`scripts/with-postgres` sets it).
pub const POSTGRES_URL_VAR: &str = "LAB_POSTGRES_URL";

/// The PostgreSQL server's URL, if this machine has one configured.
pub fn postgres_url() -> Option<String> {
    std::env::var(POSTGRES_URL_VAR)
        .ok()
        .filter(|u| !u.trim().is_empty())
}

/// Everything that can stop a scenario from producing its report. Each kind keeps its
/// source (and says it in its own message); [`error_chain`] shows the whole cause once.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[cfg(feature = "postgres")]
    #[error("postgres: {}", postgres::describe_error(.0))]
    Postgres(#[from] ::postgres::Error),
    #[cfg(feature = "http")]
    #[error("http: {0}")]
    Http(#[from] reqwest::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("interleaving: {0}")]
    Harness(#[from] interleave::HarnessError),
    /// A scenario's own typed error (a migration engine's, git's): shown as it is.
    #[error(transparent)]
    Scenario(Box<dyn std::error::Error + Send + Sync>),
    /// Bad input to a command (a benchmark size out of range, say).
    #[error("{0}")]
    Invalid(String),
}

impl Error {
    /// Wraps a scenario's own error, keeping it as the source.
    pub fn scenario(error: impl Into<Box<dyn std::error::Error + Send + Sync>>) -> Self {
        Self::Scenario(error.into())
    }
}

/// The result type of scenario code.
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// An error and its sources on one line: `sqlite: database is locked`.
pub fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        // A transparent or repeating wrapper would print the same words twice.
        if !text.ends_with(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}
