//! Fix 2: CI counts the leaves on the rebased branch and refuses the merge.

use std::path::Path;

use lab_kit::Transcript;

use crate::engine::{self, Graph, MigrationError};
use crate::model::{APP, Landing};

/// CI runs the engine's `check` (Django: `makemigrations --check`, which fails on a
/// conflict as `migrate` does) on the rebased branch, the exact tree main will hold, and
/// the merge waits for it. Its cost: CI must re-run after every rebase (a merge queue or
/// "require branches to be up to date" does that), and the author still has to fix the
/// branch, usually with the merge migration above.
pub fn before_merge(migrations: &Path, log: &mut Transcript) -> Result<Landing, MigrationError> {
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
