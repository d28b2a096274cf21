//! The property the fix holds, over every moment a request can arrive: wherever among the
//! job's statements a page view or a read comes in, it waits for one of them at most -
//! and the purge still removes every old event and keeps every other one.

use serde::Serialize;

use crate::model::{JournalMode, Purge, Seed};
use crate::request::Kind;
use crate::world::{self, job_steps};

/// A request of `kind` sent after each of the job's steps in turn (and before the first):
/// how many of the job's steps it waited through, by the step it followed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Arrivals {
    pub kind: Kind,
    pub waits: Vec<(String, usize)>,
}

/// Runs `purge` in `mode` once per arrival of a single `kind` request, each on a fresh log.
pub fn every_arrival(purge: &Purge, mode: JournalMode, kind: Kind) -> lab_kit::Result<Arrivals> {
    let steps = job_steps(Seed::SMALL);
    let mut waits = Vec::new();
    for at in 0..=steps.len() {
        let mut permutation = steps.clone();
        permutation.insert(at, "request".to_owned());
        let after = if at == 0 {
            "start".to_owned()
        } else {
            steps[at - 1].clone()
        };
        let ran = world::run(purge, mode, &[("request".to_owned(), kind)], &permutation)?;
        let seed = Seed::SMALL;
        let expected_recent = i64::try_from(seed.recent).unwrap_or(0);
        if ran.rows.expired != 0 || ran.rows.recent != expected_recent {
            return Err(lab_kit::Error::scenario(format!(
                "with the request after {after} the purge left {:?}",
                ran.rows
            )));
        }
        waits.push((after, ran.waits["request"]));
    }
    Ok(Arrivals { kind, waits })
}

/// The property as a check: every request, written or read, arriving anywhere, waits for
/// at most one of the job's steps. `Err` names the first that waited longer.
pub fn no_request_waits_past_one_step(purge: &Purge, mode: JournalMode) -> Result<(), String> {
    for kind in [Kind::Write, Kind::Read] {
        let arrivals = every_arrival(purge, mode, kind).map_err(|e| lab_kit::error_chain(&e))?;
        if let Some((after, waited)) = arrivals.waits.iter().find(|(_, w)| *w > 1) {
            return Err(format!(
                "a {} request sent after {after} waited through {waited} of the job's steps \
                 ({:?} journal)",
                kind.line(),
                mode
            ));
        }
    }
    Ok(())
}
