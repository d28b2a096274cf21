//! The property every receiver must hold, runnable against any [`SyncFn`]: on any hook
//! graph, one edit of the first model's row finishes without the hook runner's guard,
//! writes each row at most once, and brings the rows it reaches directly in step.

use crate::model::{HookGraph, SyncFn};
use crate::run::one_edit;

/// The largest graphs the property tests draw: the smallest failing one has two models.
pub const MAX_MODELS: usize = 5;
/// See [`MAX_MODELS`].
pub const MAX_HOOKS: usize = 10;

/// A graph of `models` models named `m0`, `m1`, ... and the given hooks: how a generated
/// input becomes a [`HookGraph`].
pub fn numbered_graph(models: usize, hooks: Vec<(usize, usize)>) -> HookGraph {
    HookGraph::new((0..models).map(|i| format!("m{i}")).collect(), hooks)
}

/// The property: one edit on `graph` with `sync` as every receiver stops by itself,
/// writes no row twice, and leaves the edited row and its receivers' targets holding the
/// new email. The error says which part failed first.
pub fn one_write_per_row(sync: SyncFn, graph: &HookGraph) -> Result<(), String> {
    let edit = one_edit(sync, graph).map_err(|e| lab_kit::error_chain(&e))?;
    if let Some(error) = &edit.error {
        return Err(error.to_string());
    }
    if let Some((row, n)) = edit.rewritten().first() {
        return Err(format!("{row} was written {n} times by one edit"));
    }
    match edit.out_of_step(graph).first() {
        Some(row) => Err(format!("{row} does not hold the new email")),
        None => Ok(()),
    }
}
