//! The property every fix must hold: wherever bob's write falls in ann's checkout - before
//! it, while the payment provider or the warehouse holds its call, after it - and whether
//! the warehouse is up or down, no writer waits on a lock held across a service call, no
//! charge is left without its paid order, and with every service up the checkout goes
//! through.

use lab_kit::db::interleavings;
use serde::Serialize;

use crate::model::View;
use crate::run::judge;
use crate::run::story::{self, CHECKOUT, PAYMENTS, WAREHOUSE, WRITE};

/// One warehouse state and schedule where the checkout went wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Failure {
    pub warehouse: &'static str,
    pub schedule: Vec<String>,
    pub what: String,
}

/// The checkout's timeline with bob's write at each of its four places.
pub fn schedules() -> Vec<Vec<String>> {
    let timeline = [CHECKOUT, PAYMENTS, WAREHOUSE].map(str::to_owned);
    interleavings(&timeline, &[WRITE.to_owned()])
        .into_iter()
        // The services answer only once ann's checkout has started.
        .filter(|s| s[0] == CHECKOUT || s[0] == WRITE)
        .collect()
}

/// Runs `view` through every schedule with the warehouse up and down, each on a fresh
/// world, and lists where it went wrong. Exhaustive: four places, two warehouse states.
pub fn every_schedule(view: View) -> lab_kit::Result<Vec<Failure>> {
    let mut failures = Vec::new();
    for (warehouse, up) in [("up", true), ("down", false)] {
        for schedule in schedules() {
            let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
            let told = story::tell(view, up, &permutation)?;
            let what = if told.result.still_waiting().is_empty() {
                let verdict = judge(&told, up);
                verdict.pitfall().then(|| verdict.describe())
            } else {
                Some("a step still waited when the schedule ended".to_owned())
            };
            if let Some(what) = what {
                failures.push(Failure {
                    warehouse,
                    schedule,
                    what,
                });
            }
        }
    }
    Ok(failures)
}

/// The property as a check: `Err` names the first warehouse state and schedule that went
/// wrong.
pub fn no_lock_across_a_call_and_no_lost_charge(view: View) -> Result<(), String> {
    let failures = every_schedule(view).map_err(|e| lab_kit::error_chain(&e))?;
    match failures.first() {
        None => Ok(()),
        Some(first) => Err(format!(
            "{} of {} schedules went wrong, the first (warehouse {}; {}): {}",
            failures.len(),
            schedules().len() * 2,
            first.warehouse,
            first.schedule.join(", "),
            first.what
        )),
    }
}
