//! The pitfall: a pre-merge step that validates the migration files but never counts leaves.

use std::path::Path;

use lab_kit::Transcript;

use crate::engine::{Graph, MigrationError};
use crate::model::{APP, Landing};

/// What the team runs between "B rebased cleanly" and "B merges": the migration files
/// load, every parent exists, there is no cycle. B's own CI was green before the rebase,
/// and the rebase changed no line of B's work.
pub fn before_merge(migrations: &Path, log: &mut Transcript) -> Result<Landing, MigrationError> {
    let graph = Graph::load(APP, migrations)?;
    log.push(
        "ci",
        format!(
            "{} migrations load: every parent exists, no cycle -> ok",
            graph.len()
        ),
    );
    // PITFALL: nothing counts the leaves. Git merged text and found no overlap, because
    // the two migrations are different files; but both name 0002 as their parent, so the
    // graph now forks, and only `migrate` on main - at deploy time - will say so.
    Ok(Landing::Merge)
}
