//! Fix 1: resolve the fork with a merge migration before B merges.

use std::path::Path;

use lab_kit::Transcript;

use crate::engine::{self, Graph, MigrationError};
use crate::model::{APP, Landing, MIGRATIONS};

/// After the rebase, B's author runs the engine's `merge` (Django: `makemigrations
/// --merge`) and commits what it wrote. Its cost: one more file per fork, and someone must
/// still read both leaves - the merge joins histories, it does not check that the two
/// schema changes make sense together.
pub fn before_merge(migrations: &Path, log: &mut Transcript) -> Result<Landing, MigrationError> {
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
