//! A small migration engine in the shape of Django's: migration files on disk, a graph of
//! their dependencies, leaf detection, an applied-migrations table, `check` and `merge`.
//!
//! A migration file is SQL whose leading comment lines name the migration and its parents:
//!
//! ```text
//! -- name: 0003_a_item_color
//! -- depends_on: 0002_item_price
//! ALTER TABLE shop_item ADD COLUMN color TEXT NOT NULL DEFAULT '';
//! ```
//!
//! `depends_on` lists parents separated by commas, and is empty (or absent) for a root.
//! The header is made of SQL comments, so the file is valid SQL as a whole; the engine
//! runs what follows the header.

mod apply;
mod graph;

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

pub use apply::{applied, check, columns, merge, migrate, table_sql};
pub use graph::Graph;

/// Everything that can be wrong with a set of migration files, or with applying them.
#[derive(Debug, thiserror::Error)]
pub enum MigrationError {
    /// The directory or a file in it could not be read (missing, not UTF-8, ...).
    #[error("cannot read migration file {}: {source}", path.display())]
    Unreadable {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A file has no usable `-- name:` header, or a name that is not one word.
    #[error("malformed migration file {}: {reason}", path.display())]
    Malformed { path: PathBuf, reason: String },
    /// Two files declare the same name (a copied file whose header was not edited).
    #[error("duplicate migration name {name}: declared in {} and in {}", first.display(), second.display())]
    DuplicateName {
        name: String,
        first: PathBuf,
        second: PathBuf,
    },
    /// Django's `NodeNotFoundError`: a dependency names a migration that is not there.
    #[error("migration {migration} depends on {parent}, which does not exist")]
    MissingParent { migration: String, parent: String },
    /// Django's `CircularDependencyError`; `path` follows `depends_on` and ends where it
    /// started.
    #[error("circular dependency: {} (each depends on the next)", path.join(" -> "))]
    Cycle { path: Vec<String> },
    /// What Django's `migrate` and `makemigrations` (with or without `--check`) say when
    /// an app's graph has more than one leaf, word for word (`CommandError`), so it starts
    /// with a capital and spans two lines. `leaves` is sorted.
    #[error(
        "Conflicting migrations detected; multiple leaf nodes in the migration graph: ({} in {app}).\nTo fix them run 'python manage.py makemigrations --merge'",
        leaves.join(", ")
    )]
    Conflict { app: String, leaves: Vec<String> },
    /// The merge migration could not be written.
    #[error("cannot write migration file {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
    /// A migration's SQL failed; its transaction was rolled back and it is not recorded.
    #[error("migration {migration} failed: {source}")]
    Apply {
        migration: String,
        #[source]
        source: rusqlite::Error,
    },
    /// Reading or creating the applied-migrations table failed.
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
}

impl From<MigrationError> for lab_kit::Error {
    fn from(error: MigrationError) -> Self {
        Self::scenario(error)
    }
}

/// One migration file, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Migration {
    pub name: String,
    /// The parents, in the order the header lists them.
    pub depends_on: Vec<String>,
    /// The SQL after the header (empty for a merge migration): what SQLite runs.
    pub sql: String,
    /// Where it was read from (or written to).
    pub path: PathBuf,
}

impl Migration {
    /// Parses the text of the file at `path`.
    pub fn parse(path: &Path, text: &str) -> Result<Self, MigrationError> {
        let malformed = |reason: String| MigrationError::Malformed {
            path: path.to_owned(),
            reason,
        };
        let mut name = None;
        let mut depends_on = Vec::new();
        // The header is the run of comment lines at the top; later comments are SQL's.
        let header: Vec<&str> = text
            .lines()
            .take_while(|l| l.trim_start().starts_with("--"))
            .collect();
        for line in &header {
            let line = line.trim_start().trim_start_matches("--").trim();
            if let Some(value) = line.strip_prefix("name:") {
                let value = value.trim();
                if !is_word(value) {
                    return Err(malformed(format!("`{value}` is not a migration name")));
                }
                if name.replace(value.to_owned()).is_some() {
                    return Err(malformed("two `-- name:` lines".to_owned()));
                }
            } else if let Some(value) = line.strip_prefix("depends_on:") {
                for parent in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
                    if !is_word(parent) {
                        return Err(malformed(format!("`{parent}` is not a migration name")));
                    }
                    depends_on.push(parent.to_owned());
                }
            }
        }
        let name = name.ok_or_else(|| malformed("no `-- name:` header".to_owned()))?;
        let body: Vec<&str> = text.lines().skip(header.len()).collect();
        Ok(Self {
            name,
            depends_on,
            sql: body.join("\n"),
            path: path.to_owned(),
        })
    }

    /// The text of a migration file: the header, then `sql`.
    pub fn render(name: &str, depends_on: &[String], sql: &str) -> String {
        format!(
            "-- name: {name}\n-- depends_on: {}\n{sql}",
            depends_on.join(", ")
        )
    }
}

/// A migration name is one non-empty word of letters, digits and underscores.
fn is_word(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
}

/// Reads and parses every `*.sql` file of `dir`, in file-name order, refusing a name
/// declared twice. Dependencies are checked by [`Graph::new`].
pub fn read_dir(dir: &Path) -> Result<Vec<Migration>, MigrationError> {
    let unreadable = |path: &Path| {
        let path = path.to_owned();
        move |source| MigrationError::Unreadable { path, source }
    };
    let mut paths = Vec::new();
    for entry in fs::read_dir(dir).map_err(unreadable(dir))? {
        let path = entry.map_err(unreadable(dir))?.path();
        if path.extension().is_some_and(|e| e == "sql") {
            paths.push(path);
        }
    }
    paths.sort();
    let mut migrations: Vec<Migration> = Vec::with_capacity(paths.len());
    for path in paths {
        let text = fs::read_to_string(&path).map_err(unreadable(&path))?;
        let migration = Migration::parse(&path, &text)?;
        if let Some(first) = migrations.iter().find(|m| m.name == migration.name) {
            return Err(MigrationError::DuplicateName {
                name: migration.name,
                first: first.path.clone(),
                second: path,
            });
        }
        migrations.push(migration);
    }
    Ok(migrations)
}
