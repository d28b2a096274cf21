//! The property every fix must hold, over every schedule of two workers: whatever order
//! their steps run in, once the queue has been worked empty every job ran exactly once.

use lab_kit::db::{self, Backend, World, interleavings};
use lab_kit::interleave::HarnessError;
use serde::Serialize;

use crate::model::{JOBS, Ledger, Worker};
use crate::run::{WORKERS, turn_steps, worker_steps};

/// Every schedule of the two workers' steps that the harness can run, and those after
/// which some job did not run exactly once.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    /// Schedules the harness could run: a step is never issued to a session that is
    /// waiting, so an ordering that asks for one is not a schedule.
    pub runnable: usize,
    pub wrong: Vec<Vec<String>>,
}

/// Runs `worker` through every interleaving of two workers' turns on `backend`, each on
/// a fresh queue of [`JOBS`] jobs, then lets a third worker of the same kind work the
/// queue empty (a worker that came back empty-handed is not a lost job), and lists the
/// schedules after which some job ran twice or never. Exhaustive rather than sampled: two
/// workers of at most four steps have at most 70 orderings.
pub fn every_schedule(worker: &'static Worker, backend: Backend) -> lab_kit::Result<Schedules> {
    let [w1, w2] = WORKERS;
    let orderings = interleavings(
        &turn_steps(w1, worker, backend),
        &turn_steps(w2, worker, backend),
    );
    let mut out = Schedules {
        runnable: 0,
        wrong: Vec::new(),
    };
    for schedule in orderings {
        let world = World::new(backend, &crate::model::schema(backend, JOBS))?;
        let mut sessions = Vec::new();
        for name in WORKERS {
            sessions.push(world.session(name, worker_steps(name, worker, backend))?);
        }
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        match db::run_sessions(&mut sessions, &permutation) {
            Ok(run) if run.still_waiting().is_empty() => out.runnable += 1,
            Ok(_) | Err(HarnessError::SessionBusy { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
        drop(sessions);
        let mut db = world.connect()?;
        let limit = usize::try_from(JOBS).unwrap_or(0) + 2;
        worker.drain(&mut *db, "w3", limit)?;
        if !Ledger::read(&mut *db, JOBS, &[])?.wrong().is_empty() {
            out.wrong.push(schedule);
        }
    }
    Ok(out)
}

/// The property as a check: `Err` names the first schedule after which a job did not run
/// exactly once (or says none could run).
pub fn every_job_runs_once(worker: &'static Worker, backend: Backend) -> Result<(), String> {
    let schedules = every_schedule(worker, backend).map_err(|e| lab_kit::error_chain(&e))?;
    if schedules.runnable == 0 {
        return Err("no schedule of the two workers could run".to_owned());
    }
    match schedules.wrong.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "after {} of {} schedules on {} a job did not run exactly once, the first: {}",
            schedules.wrong.len(),
            schedules.runnable,
            backend.as_str(),
            first.join(", ")
        )),
    }
}
