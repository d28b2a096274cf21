//! The property every migration must hold, runnable against any [`Migration`]: whatever
//! the interleaving of the old app's inserts with the migration's steps, on a table of
//! any size, the old app never fails, the migration never fails, and the table ends with
//! one distinct, non-null version-4 UUID per row behind a unique index.

use lab_kit::db::interleavings;
use serde::Serialize;

use crate::model::Migration;
use crate::story::{self, MIGRATE, old_steps};

/// Every interleaving of the migration's four steps with `old_inserts` inserts of the old
/// app that keeps each side's order: C(4 + k, k) of them (15 for two inserts).
pub fn orderings(old_inserts: usize) -> Vec<Vec<String>> {
    let migrate: Vec<String> = MIGRATE.iter().map(|s| (*s).to_owned()).collect();
    interleavings(&migrate, &old_steps(old_inserts))
}

/// The permutation where the old app's i-th insert comes after `after[i]` migration steps
/// (`after` sorted): `[1, 3]` is add_column, old_insert_1, backfill_1, backfill_2,
/// old_insert_2, make_unique.
pub fn permutation(after: &[usize]) -> Vec<String> {
    let old = old_steps(after.len());
    let mut out = Vec::new();
    let mut next_old = 0;
    for done in 0..=MIGRATE.len() {
        while next_old < after.len() && after[next_old].min(MIGRATE.len()) == done {
            out.push(old[next_old].clone());
            next_old += 1;
        }
        if let Some(step) = MIGRATE.get(done) {
            out.push((*step).to_owned());
        }
    }
    out
}

/// Every schedule of one table size, and those that went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Schedules {
    pub seed_rows: usize,
    pub runnable: usize,
    pub went_wrong: Vec<Vec<String>>,
}

/// Runs `migration` through every ordering with two old inserts on a table of `rows`
/// orders, each on a fresh database. Exhaustive rather than sampled.
pub fn every_schedule(migration: Migration, rows: usize) -> lab_kit::Result<Schedules> {
    let mut out = Schedules {
        seed_rows: rows,
        runnable: 0,
        went_wrong: Vec::new(),
    };
    for schedule in orderings(2) {
        let steps: Vec<&str> = schedule.iter().map(String::as_str).collect();
        let told = story::tell(migration, rows, 2, &steps)?;
        out.runnable += 1;
        if !told.problems().is_empty() || !told.result.still_waiting().is_empty() {
            out.went_wrong.push(schedule);
        }
    }
    Ok(out)
}

/// The property for one table size and one schedule: `Err` says what went wrong.
pub fn holds(migration: Migration, rows: usize, after: &[usize]) -> Result<(), String> {
    let mut after = after.to_vec();
    after.sort_unstable();
    let schedule = permutation(&after);
    let steps: Vec<&str> = schedule.iter().map(String::as_str).collect();
    let told =
        story::tell(migration, rows, after.len(), &steps).map_err(|e| lab_kit::error_chain(&e))?;
    let problems = told.problems();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(format!("{}: {}", schedule.join(", "), problems.join("; ")))
    }
}

/// The property on every table of 0 to `max_rows` orders and every schedule of two old
/// inserts: `Err` names the first that went wrong.
pub fn holds_in_every_schedule(migration: Migration, max_rows: usize) -> Result<(), String> {
    for rows in 0..=max_rows {
        let schedules = every_schedule(migration, rows).map_err(|e| lab_kit::error_chain(&e))?;
        if let Some(first) = schedules.went_wrong.first() {
            return Err(format!(
                "{rows} row(s): {} of {} schedules went wrong, the first: {}",
                schedules.went_wrong.len(),
                schedules.runnable,
                first.join(", ")
            ));
        }
    }
    Ok(())
}
