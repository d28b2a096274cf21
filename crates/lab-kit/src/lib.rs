//! The support library every Pitfall Lab scenario uses: the scenario contract and its
//! `Report`, SQLite helpers, the interleaving harness, text tables, measurement helpers
//! (heap, throughput), (behind the `http` feature) loopback HTTP helpers and (behind
//! `postgres`) PostgreSQL helpers.

pub mod interleave;
pub mod measure;
pub mod report;
pub mod scenario;
pub mod sqlite;
pub mod table;

#[cfg(feature = "http")]
pub mod http;
#[cfg(feature = "postgres")]
pub mod postgres;
#[cfg(feature = "proptest")]
pub mod property;

pub use report::{Report, Transcript};
pub use scenario::{
    BenchFn, BenchOptions, Difficulty, Outcome, Role, Scenario, ScenarioRun, Tag, Variant,
    VariantResult,
};
pub use table::Table;

/// Everything that can stop a scenario from producing its report.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[cfg(feature = "postgres")]
    #[error("postgres: {}", postgres::describe_error(.0))]
    Postgres(#[from] ::postgres::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
    #[error("interleaving: {0}")]
    Harness(#[from] interleave::HarnessError),
    #[error("{0}")]
    Invalid(String),
}

/// The result type of scenario code.
pub type Result<T, E = Error> = std::result::Result<T, E>;
