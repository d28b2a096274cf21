//! The property every correct pre-merge step satisfies, runnable against any
//! [`BeforeMerge`]: whatever it lets through migrates cleanly, and it refuses only a
//! branch whose graph really forks.

use std::fs;

use lab_kit::Transcript;

use crate::engine::{self, Graph, Migration};
use crate::model::{APP, BeforeMerge, Landing, Spec};

/// The most migrations a generated graph holds.
pub const MAX_MIGRATIONS: usize = 7;

/// A generated branch: migration `i` is `{i + 1:04}_m{i}` and depends on the earlier
/// migrations `parents[i]` lists by index (`parents[0]`, the root's, is empty). Parents
/// are sorted and deduplicated; an index that is not earlier is a bug in the generator.
///
/// # Panics
/// If a migration lists itself or a later migration as a parent.
pub fn numbered_graph(parents: &[Vec<usize>]) -> Vec<Spec> {
    let name = |i: usize| format!("{:04}_m{i}", i + 1);
    parents
        .iter()
        .enumerate()
        .map(|(i, of)| {
            assert!(of.iter().all(|&p| p < i), "parents come before {}", name(i));
            let mut depends_on: Vec<String> = of.iter().map(|&p| name(p)).collect();
            depends_on.sort();
            depends_on.dedup();
            Spec {
                name: name(i),
                depends_on,
            }
        })
        .collect()
}

/// The property, for the migration files `specs` of a branch about to merge:
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
