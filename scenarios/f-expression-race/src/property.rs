//! The property every fix must hold: under every schedule of two readers' requests the
//! counter counts both visits, and one visit counts once whatever the request saves
//! afterwards.

use lab_kit::db::{Backend, interleavings};
use lab_kit::interleave::HarnessError;
use serde::Serialize;

use crate::model::CountVisit;
use crate::run::{READERS, one_visit, race, view_steps};

/// Every schedule of the two readers' steps the harness can run, and those that lost a
/// visit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    /// Schedules the harness could run: a step is never issued to a session that is
    /// waiting, so an ordering that asks for one is not a schedule.
    pub runnable: usize,
    pub lost_a_visit: Vec<Vec<String>>,
}

/// Runs `count` through every interleaving of its two readers' steps on `backend`, each on
/// a fresh blog. Exhaustive rather than sampled: two requests of at most four steps have
/// at most 70 orderings.
pub fn every_schedule(count: CountVisit, backend: Backend) -> lab_kit::Result<Schedules> {
    let [(s1, _), (s2, _)] = READERS;
    let mut out = Schedules {
        runnable: 0,
        lost_a_visit: Vec::new(),
    };
    for schedule in interleavings(&view_steps(s1, backend), &view_steps(s2, backend)) {
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        let race = match race(count, backend, &permutation) {
            Ok(race) if race.result.still_waiting().is_empty() => race,
            Ok(_) | Err(lab_kit::Error::Harness(HarnessError::SessionBusy { .. })) => continue,
            Err(e) => return Err(e),
        };
        out.runnable += 1;
        if race.views != race.visits {
            out.lost_a_visit.push(schedule);
        }
    }
    Ok(out)
}

/// The property as a check: `Err` names the first schedule that lost a visit, or the
/// count one visit left when the request saved the article again.
pub fn counts_every_visit_once(count: CountVisit, backend: Backend) -> Result<(), String> {
    let schedules = every_schedule(count, backend).map_err(|e| lab_kit::error_chain(&e))?;
    if schedules.runnable == 0 {
        return Err("no schedule of the two readers could run".to_owned());
    }
    if let Some(first) = schedules.lost_a_visit.first() {
        return Err(format!(
            "{} of {} schedules lost a visit on {}, the first: {}",
            schedules.lost_a_visit.len(),
            schedules.runnable,
            backend.as_str(),
            first.join(", ")
        ));
    }
    let one = one_visit(count, backend).map_err(|e| lab_kit::error_chain(&e))?;
    if one.views != 1 {
        return Err(format!(
            "one visit, then a second save() of the article: views={} on {}; it sent: {}",
            one.views,
            backend.as_str(),
            one.sql.join("; ")
        ));
    }
    Ok(())
}
