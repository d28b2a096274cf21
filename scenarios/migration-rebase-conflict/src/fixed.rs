//! Two fixes: resolve the fork with a merge migration, or let CI refuse the branch.

use std::path::Path;

use lab_kit::Transcript;

use crate::engine::{self, Graph, MigrationError};
use crate::{APP, Landing, MIGRATIONS};

/// After the rebase, B's author runs the engine's `merge` (Django: `makemigrations
/// --merge`) and commits what it wrote. Its cost: one more file per fork, and someone must
/// still read both leaves - the merge joins histories, it does not check that the two
/// schema changes make sense together.
pub fn before_merge_with_merge_migration(
    migrations: &Path,
    log: &mut Transcript,
) -> Result<Landing, MigrationError> {
    let graph = Graph::load(APP, migrations)?;
    // FIX: a migration that depends on every leaf and does nothing else joins the fork,
    // so main's graph has one leaf again and `migrate` has an order to apply.
    match engine::merge(&graph, migrations)? {
        Some(merge) => log.push(
            "dev-b",
            format!(
                "makemigrations --merge -> wrote {MIGRATIONS}/{}.sql (depends on {}; no operations)",
                merge.name,
                merge.depends_on.join(", "),
            ),
        ),
        None => log.push("dev-b", "makemigrations --merge -> nothing to merge"),
    }
    Ok(Landing::Merge)
}

/// CI runs the engine's `check` (Django: `makemigrations --check`, which fails on a
/// conflict as `migrate` does) on the rebased branch, the exact tree main will hold, and
/// the merge waits for it. Its cost: CI must re-run after every rebase (a merge queue or
/// "require branches to be up to date" does that), and the author still has to fix the
/// branch, usually with the merge migration above.
pub fn before_merge_with_ci_guard(
    migrations: &Path,
    log: &mut Transcript,
) -> Result<Landing, MigrationError> {
    let graph = Graph::load(APP, migrations)?;
    // FIX: the leaf count is checked where the conflict first exists - the rebased branch
    // - instead of where it first hurts: main, at deploy time.
    match engine::check(&graph) {
        Ok(()) => {
            log.push("ci", "makemigrations --check -> ok, one leaf");
            Ok(Landing::Merge)
        }
        Err(conflict @ MigrationError::Conflict { .. }) => {
            log.push(
                "ci",
                format!("makemigrations --check -> FAILED: {conflict}"),
            );
            Ok(Landing::Refuse(conflict.to_string()))
        }
        Err(other) => Err(other),
    }
}
