//! The property every fix holds: whatever the site commits, and wherever its commits land
//! among the backup's steps, the backup restores intact, with no dangling reference, as
//! the database was at one moment.

use serde::Serialize;

use crate::model::{Backup, Shop, Write, states};
use crate::schedule;
use crate::writer::{Change, compile};

/// The most transactions a generated writer commits. One commit between the two tables
/// already breaks a table-by-table backup; a few more mix sign-ups, orders and closed
/// accounts.
pub const MAX_CHANGES: usize = 3;

/// Runs `backup` with the writer's `changes`, transaction `i` committing right after the
/// backup's step `gaps[i]` (see [`schedule::permutation`]), and checks the restore.
pub fn restores_consistently(
    backup: &Backup,
    changes: &[Change],
    gaps: &[usize],
) -> Result<(), String> {
    let writes = compile(&Shop::seed(), changes);
    let permutation = schedule::permutation(&gaps[..writes.len().min(gaps.len())]);
    check(backup, &writes, &permutation).map_err(String::from)
}

/// Every schedule of the writer's transactions around the backup's steps that the
/// harness ran, and those whose backup did not restore as one moment of the database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    pub runnable: usize,
    pub inconsistent: Vec<Vec<String>>,
}

/// Runs `backup` through every interleaving of its steps with the writer's `changes`,
/// each on a fresh shop. Exhaustive rather than sampled: four backup steps and two
/// transactions make 15 schedules.
pub fn every_schedule(backup: &Backup, changes: &[Change]) -> lab_kit::Result<Schedules> {
    let writes = compile(&Shop::seed(), changes);
    let orderings = lab_kit::db::interleavings(
        &schedule::backup_steps(),
        &schedule::writer_steps(writes.len()),
    );
    let mut out = Schedules {
        runnable: 0,
        inconsistent: Vec::new(),
    };
    for ordering in orderings {
        match check(backup, &writes, &ordering) {
            Ok(()) => {}
            Err(Failure::Inconsistent(_)) => out.inconsistent.push(ordering),
            Err(Failure::Run(e)) => return Err(e),
        }
        out.runnable += 1;
    }
    Ok(out)
}

/// The property as a check over every schedule: `Err` names the first that failed.
pub fn every_schedule_restores(backup: &Backup, changes: &[Change]) -> Result<(), String> {
    let schedules = every_schedule(backup, changes).map_err(|e| lab_kit::error_chain(&e))?;
    match schedules.inconsistent.first() {
        None if schedules.runnable > 0 => Ok(()),
        None => Err("no schedule could run".to_owned()),
        Some(first) => Err(format!(
            "{} of {} schedules gave a backup that is no moment of the database, the first: {}",
            schedules.inconsistent.len(),
            schedules.runnable,
            first.join(", ")
        )),
    }
}

enum Failure {
    Inconsistent(String),
    Run(lab_kit::Error),
}

impl From<Failure> for String {
    fn from(failure: Failure) -> Self {
        match failure {
            Failure::Inconsistent(why) => why,
            Failure::Run(e) => lab_kit::error_chain(&e),
        }
    }
}

fn check(backup: &Backup, writes: &[Write], permutation: &[String]) -> Result<(), Failure> {
    let steps: Vec<&str> = permutation.iter().map(String::as_str).collect();
    let ran = schedule::run(backup, writes, &steps).map_err(Failure::Run)?;
    let truth = states(&Shop::seed(), writes);
    let restored = &ran.restored;
    if restored.consistent(&truth) {
        return Ok(());
    }
    let why = if restored.integrity != "ok" {
        format!("integrity_check: {}", restored.integrity)
    } else if let Some(first) = restored.dangling.first() {
        first.clone()
    } else {
        let c = restored.shop.counts();
        format!(
            "{} customers and {} orders, rows the database held at no moment",
            c["shop_customer"], c["shop_order"]
        )
    };
    Err(Failure::Inconsistent(format!(
        "{}: {why}",
        permutation.join(", ")
    )))
}
