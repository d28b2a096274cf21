//! What a variant needs beyond SQLite and loopback HTTP, and the one place that decides
//! whether the need is met here: not configured (the variant is skipped, with the command
//! that runs it), configured but broken (the variant fails, naming the cause), or met.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock, PoisonError};

/// Something outside the lab a variant needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// A PostgreSQL server named by `LAB_POSTGRES_URL` (a real row lock, `pg_blocking_pids`).
    Postgres,
    /// The `git` command on PATH.
    Git,
}

/// Why a need is not met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NeedUnmet {
    /// Nothing is configured: the variant is skipped, never counted as passing.
    NotConfigured(String),
    /// Something is configured but does not work: the variant fails with this message.
    Broken(String),
}

impl Need {
    /// Whether the need is met on this machine. Each separate check runs once per process
    /// and is remembered, so a tour does not connect to PostgreSQL once per variant.
    pub fn check(self) -> Result<(), NeedUnmet> {
        match self {
            Self::Postgres => match crate::postgres_url() {
                None => Err(NeedUnmet::NotConfigured(format!(
                    "needs PostgreSQL: {} is not set",
                    crate::POSTGRES_URL_VAR
                ))),
                Some(url) => remembered(&format!("postgres {url}"), || probe_postgres(&url)),
            },
            Self::Git => remembered("git", probe_git),
        }
    }
}

fn remembered(key: &str, probe: impl FnOnce() -> Result<(), NeedUnmet>) -> Result<(), NeedUnmet> {
    static SEEN: OnceLock<Mutex<HashMap<String, Result<(), NeedUnmet>>>> = OnceLock::new();
    let seen = SEEN.get_or_init(Mutex::default);
    if let Some(known) = seen.lock().unwrap_or_else(PoisonError::into_inner).get(key) {
        return known.clone();
    }
    let result = probe();
    seen.lock()
        .unwrap_or_else(PoisonError::into_inner)
        .insert(key.to_owned(), result.clone());
    result
}

#[cfg(feature = "postgres")]
fn probe_postgres(url: &str) -> Result<(), NeedUnmet> {
    use std::time::Duration;

    let var = crate::POSTGRES_URL_VAR;
    let mut config: ::postgres::Config = url.parse().map_err(|e| {
        NeedUnmet::Broken(format!(
            "{var} is not a PostgreSQL URL ({e}); expected postgres://user@127.0.0.1:port/db"
        ))
    })?;
    // A dead server must fail fast, not hang the tour.
    config.connect_timeout(Duration::from_secs(5));
    let mut client = config.connect(::postgres::NoTls).map_err(|e| {
        NeedUnmet::Broken(format!(
            "{var} names a PostgreSQL server that cannot be used: {}",
            crate::error_chain(&e)
        ))
    })?;
    client.simple_query("SELECT 1").map_err(|e| {
        NeedUnmet::Broken(format!(
            "{var} names a PostgreSQL server that does not answer queries: {}",
            crate::error_chain(&e)
        ))
    })?;
    Ok(())
}

#[cfg(not(feature = "postgres"))]
fn probe_postgres(_url: &str) -> Result<(), NeedUnmet> {
    Err(NeedUnmet::Broken(
        "lab-kit was built without its `postgres` feature".to_owned(),
    ))
}

fn probe_git() -> Result<(), NeedUnmet> {
    match std::process::Command::new("git").arg("--version").output() {
        Ok(out) if out.status.success() => Ok(()),
        Ok(out) => Err(NeedUnmet::Broken(format!(
            "`git --version` failed ({}): {}",
            out.status,
            String::from_utf8_lossy(&out.stderr).trim()
        ))),
        Err(e) => Err(NeedUnmet::Broken(format!(
            "needs the `git` command on PATH: {e}"
        ))),
    }
}
