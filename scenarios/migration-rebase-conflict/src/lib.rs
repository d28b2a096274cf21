//! Two branches each add a migration on the same parent; git rebases one onto the other
//! without a conflict, because the files differ, and the deploy's `migrate` then refuses:
//! the migration graph has two leaves.
//!
//! Run with:
//! - `cargo test -p migration-rebase-conflict`
//! - `cargo run -- run migration-rebase-conflict`
//!
//! Needs `git` (2.28 or newer) on PATH: the story runs real git commands in a temporary
//! repository.

pub mod broken;
pub mod engine;
pub mod fixed;
pub mod git;
mod report;
pub mod story;

use std::fs;
use std::path::Path;

use lab_kit::{Difficulty, Need, Role, Scenario, Tag, Transcript, Variant};

use crate::engine::{Graph, Migration, MigrationError};

pub use report::run_variant;

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "migration-rebase-conflict",
    title: "A clean rebase that breaks migrate",
    question: "Two branches each add a migration; the second rebases without a conflict and merges. Why does the deploy's migrate fail, and how do you stop it?",
    tags: &[Tag::Git, Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[Need::Git],
            run: || run_variant("broken", broken::before_merge),
        },
        Variant {
            name: "fixed_merge_migration",
            role: Role::Fix,
            needs: &[Need::Git],
            run: || {
                run_variant(
                    "fixed_merge_migration",
                    fixed::merge_migration::before_merge,
                )
            },
        },
        Variant {
            name: "fixed_ci_guard",
            role: Role::Fix,
            needs: &[Need::Git],
            run: || run_variant("fixed_ci_guard", fixed::ci_guard::before_merge),
        },
    ],
    bench: None,
};

/// The app every migration of the story belongs to (Django's app label).
pub const APP: &str = "shop";
/// Where the app's migration files live in the repository.
pub const MIGRATIONS: &str = "shop/migrations";
/// The model's table.
pub const TABLE: &str = "shop_item";

/// The team's step between "B rebased cleanly" and "B merges": it gets B's migrations
/// directory (the rebased working tree, which is what main will hold after the merge),
/// may write files there (they are committed before the merge), and decides.
pub type BeforeMerge =
    fn(migrations: &Path, log: &mut Transcript) -> Result<Landing, MigrationError>;

/// What the pre-merge step decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// The branch merges into main.
    Merge,
    /// The branch is held back, with the reason shown to its author.
    Refuse(String),
}

/// One generated migration: its name and parents (SQL is derived from them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub name: String,
    pub depends_on: Vec<String>,
}

/// The property every correct pre-merge step satisfies, for the migration files `specs`
/// of a branch about to merge:
/// - whatever it lets through keeps every migration of the branch (it may add some) and
///   migrates a fresh database, every file applied exactly once and after all of its
///   parents (each migration's SQL reads its parents' tables, so a wrong order fails in
///   SQLite itself);
/// - it refuses a branch only when the branch really has more than one leaf (a guard that
///   refused everything would keep main safe and the team stuck).
pub fn lands_cleanly(before_merge: BeforeMerge, specs: &[Spec]) -> Result<(), String> {
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    for spec in specs {
        let mut sql = format!("CREATE TABLE t_{} (n INTEGER);\n", spec.name);
        for parent in &spec.depends_on {
            sql.push_str(&format!(
                "INSERT INTO t_{} SELECT count(*) FROM t_{parent};\n",
                spec.name
            ));
        }
        let text = Migration::render(&spec.name, &spec.depends_on, &sql);
        fs::write(dir.path().join(format!("{}.sql", spec.name)), text)
            .map_err(|e| e.to_string())?;
    }
    // The truth, from the specs alone: names no spec lists as a parent.
    let true_leaves: Vec<&str> = specs
        .iter()
        .filter(|s| !specs.iter().any(|o| o.depends_on.contains(&s.name)))
        .map(|s| s.name.as_str())
        .collect();

    let landing = before_merge(dir.path(), &mut Transcript::new()).map_err(|e| e.to_string())?;
    if let Landing::Refuse(reason) = landing {
        return if true_leaves.len() > 1 {
            Ok(())
        } else {
            Err(format!("refused a branch with one leaf: {reason}"))
        };
    }

    let landed = engine::read_dir(dir.path()).map_err(|e| e.to_string())?;
    // Deleting a migration would also leave one leaf, and lose someone's work.
    if let Some(lost) = specs
        .iter()
        .find(|s| !landed.iter().any(|m| m.name == s.name))
    {
        return Err(format!("{} was dropped from the branch", lost.name));
    }
    let mut conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    let graph = Graph::load(APP, dir.path()).map_err(|e| e.to_string())?;
    engine::migrate(&mut conn, &graph).map_err(|e| format!("migrate failed: {e}"))?;
    let applied = engine::applied(&conn, APP).map_err(|e| e.to_string())?;
    for migration in &landed {
        let Some(at) = applied.iter().position(|a| *a == migration.name) else {
            return Err(format!("{} was never applied", migration.name));
        };
        if applied.iter().filter(|a| **a == migration.name).count() > 1 {
            return Err(format!("{} was applied twice", migration.name));
        }
        for parent in &migration.depends_on {
            if applied.iter().position(|a| a == parent) > Some(at) {
                return Err(format!(
                    "{} was applied before its parent {parent}",
                    migration.name
                ));
            }
        }
    }
    if applied.len() != landed.len() {
        return Err(format!(
            "applied {applied:?}, but the branch has {} files",
            landed.len()
        ));
    }
    Ok(())
}
