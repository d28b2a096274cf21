//! The properties every task must hold, runnable against any [`Task`]: under every
//! schedule of ann's publish, bob's edit and the worker's two steps, the row ends as the
//! committed edits add up to; and a request that rolls back leaves no trace.

use lab_kit::db::interleavings;
use serde::Serialize;

use crate::model::{SEED_BODY, Task};
use crate::story::{self, Told};

/// The steps each party takes, in order: what every schedule interleaves.
pub const ANN: [&str; 3] = ["ann_save", "ann_enqueue", "ann_commit"];
pub const BOB: [&str; 1] = ["bob_edit"];
pub const WORKER: [&str; 2] = ["worker_load", "worker_save"];

/// Every schedule the harness could run, and those that lost committed work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    /// Schedules the harness could run: a step is never issued to a session that is
    /// waiting (for the lock, or for a job), so an ordering that asks for one is not one.
    pub runnable: usize,
    pub lost_an_edit: Vec<Vec<String>>,
}

/// Every interleaving of ann's, bob's and the worker's steps that keeps each party's own
/// order: 6! / (3! 1! 2!) = 60 orderings.
pub fn orderings() -> Vec<Vec<String>> {
    let owned = |steps: &[&str]| steps.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
    let mut all = Vec::new();
    for ann_and_bob in interleavings(&owned(&ANN), &owned(&BOB)) {
        all.extend(interleavings(&ann_and_bob, &owned(&WORKER)));
    }
    all
}

/// Runs `task` through every ordering, each on a fresh world, and lists the schedules
/// whose row ends differing from the truth. Exhaustive rather than sampled.
pub fn every_schedule(task: Task) -> lab_kit::Result<Schedules> {
    let mut out = Schedules {
        runnable: 0,
        lost_an_edit: Vec::new(),
    };
    for schedule in orderings() {
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        let told = match story::tell(task, &permutation) {
            Ok(told) if told.result.still_waiting().is_empty() => told,
            Ok(_) | Err(lab_kit::Error::Harness(_)) => continue,
            Err(e) => return Err(e),
        };
        out.runnable += 1;
        if told.lost_work() {
            out.lost_an_edit.push(schedule);
        }
    }
    Ok(out)
}

/// The property as a check: `Err` names the first schedule that lost an edit.
pub fn never_loses_an_edit(task: Task) -> Result<(), String> {
    let schedules = every_schedule(task).map_err(|e| lab_kit::error_chain(&e))?;
    if schedules.runnable == 0 {
        return Err("no schedule could run".to_owned());
    }
    match schedules.lost_an_edit.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {} schedules lost committed work, the first: {}",
            schedules.lost_an_edit.len(),
            schedules.runnable,
            first.join(", ")
        )),
    }
}

/// A publish that rolls back after enqueueing leaves no trace: the broker never received
/// a job, and after the worker ran whatever there was, the row is still the seed draft.
pub fn rolled_back_request_leaves_no_trace(task: Task) -> Result<(), String> {
    let told =
        story::tell(task, story::REQUEST_ROLLED_BACK).map_err(|e| lab_kit::error_chain(&e))?;
    trace_of(&told).map_or(Ok(()), Err)
}

/// What a rolled-back request left behind, if anything.
pub fn trace_of(told: &Told) -> Option<String> {
    if !told.jobs.is_empty() {
        return Some(format!(
            "the queue received {} job(s) from a request that rolled back: {:?}",
            told.jobs.len(),
            told.jobs
        ));
    }
    let row = &told.article;
    (row.status != "draft" || row.body != SEED_BODY).then(|| {
        format!(
            "the row changed after a rollback: {} {:?}",
            row.status, row.body
        )
    })
}
