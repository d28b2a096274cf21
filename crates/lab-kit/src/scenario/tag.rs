//! How the catalogue describes a scenario: its tags and its difficulty.

use serde::{Deserialize, Serialize};

/// Backends and themes, for `lab list` and `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Sqlite,
    Http,
    Postgres,
    Git,
    Concurrency,
    Security,
    Performance,
    Orm,
}

impl Tag {
    /// The name used in `--json` and `lab list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Http => "http",
            Self::Postgres => "postgres",
            Self::Git => "git",
            Self::Concurrency => "concurrency",
            Self::Security => "security",
            Self::Performance => "performance",
            Self::Orm => "orm",
        }
    }
}

/// How much a reader needs to know to follow a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

impl Difficulty {
    /// The name used in `lab list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Beginner => "beginner",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }
}
