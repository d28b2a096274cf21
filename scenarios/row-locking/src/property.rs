//! The property every fix must hold, over every schedule of two buyers: whatever order
//! their steps run in, the shop never sells more lamps than it had.

use lab_kit::db::{self, Backend, World, interleavings};
use lab_kit::interleave::HarnessError;
use serde::Serialize;

use crate::model::{INITIAL_STOCK, Ledger, Purchase};
use crate::run::{BUYERS, buyer_steps, view_steps};

/// Every schedule of the two buyers' steps that the harness can run, and those that
/// oversold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    /// Schedules the harness could run: a step is never issued to a session that is
    /// waiting, so an ordering that asks for one is not a schedule.
    pub runnable: usize,
    pub oversold: Vec<Vec<String>>,
}

/// Runs `purchase` through every interleaving of its two buyers' steps on `backend`, each
/// on a fresh shop, and lists those that sold more lamps than there were. Exhaustive rather
/// than sampled: two buyers of at most four steps have at most 70 orderings.
pub fn every_schedule(purchase: &'static Purchase, backend: Backend) -> lab_kit::Result<Schedules> {
    let [(s1, _), (s2, _)] = BUYERS;
    let orderings = interleavings(
        &view_steps(s1, purchase, backend),
        &view_steps(s2, purchase, backend),
    );
    let mut out = Schedules {
        runnable: 0,
        oversold: Vec::new(),
    };
    for schedule in orderings {
        let world = World::new(backend, &crate::model::schema(backend, INITIAL_STOCK))?;
        let mut sessions = Vec::new();
        for (session, name) in BUYERS {
            sessions.push(world.session(session, buyer_steps(session, name, purchase, backend).0)?);
        }
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        match db::run_sessions(&mut sessions, &permutation) {
            Ok(run) if run.still_waiting().is_empty() => out.runnable += 1,
            Ok(_) | Err(HarnessError::SessionBusy { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
        drop(sessions);
        if Ledger::read(&mut *world.connect()?, INITIAL_STOCK)?.oversold() {
            out.oversold.push(schedule);
        }
    }
    Ok(out)
}

/// The property as a check: `Err` names the first schedule that oversold (or says none
/// could run).
pub fn never_oversells(purchase: &'static Purchase, backend: Backend) -> Result<(), String> {
    let schedules = every_schedule(purchase, backend).map_err(|e| lab_kit::error_chain(&e))?;
    if schedules.runnable == 0 {
        return Err("no schedule of the two buyers could run".to_owned());
    }
    match schedules.oversold.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {} schedules oversold on {}, the first: {}",
            schedules.oversold.len(),
            schedules.runnable,
            backend.as_str(),
            first.join(", ")
        )),
    }
}
