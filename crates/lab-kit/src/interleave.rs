//! The interleaving harness, in the spirit of PostgreSQL's isolation tester: sessions with
//! named steps, one explicit permutation of those steps, every step's result recorded, and
//! a step that meets a lock reported as waiting and completed later - by what the database
//! answered, never by a sleep.
//!
//! A session is anything that implements [`SessionDriver`]; [`SqliteSession`] is the
//! SQLite one (a lock answers `SQLITE_BUSY` at once; the step is retried after each later
//! step until it goes through). [`PgSession`] (feature `postgres`) is the PostgreSQL one:
//! a step runs on the session's own thread, and it is waiting when a monitor connection
//! sees it blocked by another session. With the `http` feature, [`WorkerSession`] runs a
//! request on a worker thread of its own, waiting while a loopback service holds its
//! outbound call, and [`ServiceSession`] is the service answering it (see `held`).

#[cfg(feature = "http")]
mod held;
#[cfg(feature = "postgres")]
mod pg;
mod slot;
mod sqlite;

use std::fmt;

use crate::Transcript;
use crate::report::one_line;

#[cfg(feature = "http")]
pub use held::{Gates, Held, ServiceSession, WorkerSession};
#[cfg(feature = "postgres")]
pub use pg::{Monitor, PgSession, PgStepResult};
pub use slot::Slot;
pub use sqlite::{SqliteSession, SqliteStepResult};

/// What a finished step returned: its result text, or the error the database gave.
pub type StepOutcome = Result<String, String>;

/// Where a step stands after it was started or resumed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The step finished; nothing of it is pending.
    Done(StepOutcome),
    /// The step is blocked on a lock held by another session; the text says what the
    /// database reported.
    Waiting(String),
}

/// One session of an interleaving: a connection and its named steps.
pub trait SessionDriver {
    /// The session's name, e.g. `s1`.
    fn name(&self) -> &str;
    /// The session's step names, in declaration order.
    fn step_names(&self) -> Vec<String>;
    /// What the step shows in the transcript (usually its SQL).
    fn describe(&self, step: &str) -> String;
    /// Starts the step `step`.
    fn start(&mut self, step: &str) -> Progress;
    /// Gives the waiting step another chance after some other session ran a step.
    fn resume(&mut self) -> Progress;
}

/// A mistake in the permutation or the sessions: the harness refuses to guess.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HarnessError {
    #[error("step `{0}` is not defined by any session")]
    UnknownStep(String),
    #[error("step `{0}` is defined by more than one session")]
    DuplicateStep(String),
    #[error("step `{step}` was requested while session {session} is still waiting on `{waiting}`")]
    SessionBusy {
        step: String,
        session: String,
        waiting: String,
    },
}

/// One step as it happened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepRecord {
    pub session: String,
    pub step: String,
    /// Whether it had to wait for another session before finishing.
    pub waited: bool,
    /// `None` if it was still waiting when the permutation ended.
    pub outcome: Option<StepOutcome>,
}

/// The result of one permutation: the transcript and every step's record in the order the
/// steps finished.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Interleaving {
    pub transcript: Transcript,
    pub steps: Vec<StepRecord>,
}

impl Interleaving {
    /// The record of the step called `step`.
    pub fn step(&self, step: &str) -> Option<&StepRecord> {
        self.steps.iter().find(|r| r.step == step)
    }

    /// Steps still waiting when the permutation ended: a deadlock, or a permutation that
    /// never let the lock holder finish.
    pub fn still_waiting(&self) -> Vec<&StepRecord> {
        self.steps.iter().filter(|r| r.outcome.is_none()).collect()
    }
}

impl fmt::Display for Interleaving {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for line in self.transcript.lines() {
            writeln!(f, "{line}")?;
        }
        Ok(())
    }
}

/// Runs `permutation` (step names) over `sessions`. After every step, each waiting
/// session is resumed in order until none makes progress; a step for a session that is
/// itself waiting is an error, as in PostgreSQL's isolation tester.
pub fn run(
    sessions: &mut [&mut dyn SessionDriver],
    permutation: &[&str],
) -> Result<Interleaving, HarnessError> {
    let owner = owners(sessions, permutation)?;
    let mut out = Interleaving::default();
    // Per session: the step it is waiting on and the index of its record.
    let mut waiting: Vec<Option<(String, usize)>> = vec![None; sessions.len()];
    for (step, &s) in permutation.iter().zip(&owner) {
        if let Some((waiting_on, _)) = &waiting[s] {
            return Err(HarnessError::SessionBusy {
                step: (*step).to_owned(),
                session: sessions[s].name().to_owned(),
                waiting: waiting_on.clone(),
            });
        }
        let session = &mut *sessions[s];
        let name = session.name().to_owned();
        let shown = one_line(&session.describe(step));
        match session.start(step) {
            Progress::Done(outcome) => {
                out.transcript
                    .push(&name, format!("[{step}] {shown} -> {}", show(&outcome)));
                out.steps.push(record(&name, step, false, Some(outcome)));
            }
            Progress::Waiting(why) => {
                out.transcript
                    .push(&name, format!("[{step}] {shown} <waiting: {why}>"));
                out.steps.push(record(&name, step, true, None));
                waiting[s] = Some(((*step).to_owned(), out.steps.len() - 1));
                // Nothing changed for the others: a new waiter releases no lock.
                continue;
            }
        }
        resume_waiters(sessions, &mut waiting, &mut out);
    }
    for (s, slot) in waiting.iter().enumerate() {
        if let Some((step, _)) = slot {
            out.transcript.push(
                sessions[s].name(),
                format!("[{step}] <still waiting when the permutation ended>"),
            );
        }
    }
    Ok(out)
}

fn resume_waiters(
    sessions: &mut [&mut dyn SessionDriver],
    waiting: &mut [Option<(String, usize)>],
    out: &mut Interleaving,
) {
    let mut progressed = true;
    while progressed {
        progressed = false;
        for s in 0..sessions.len() {
            let Some((step, index)) = waiting[s].clone() else {
                continue;
            };
            if let Progress::Done(outcome) = sessions[s].resume() {
                let name = sessions[s].name().to_owned();
                out.transcript.push(
                    &name,
                    format!("[{step}] <... completed> -> {}", show(&outcome)),
                );
                // The record moves to where the step finished.
                let mut rec = out.steps.remove(index);
                rec.outcome = Some(outcome);
                for other in waiting.iter_mut().flatten() {
                    if other.1 > index {
                        other.1 -= 1;
                    }
                }
                out.steps.push(rec);
                waiting[s] = None;
                progressed = true;
            }
        }
    }
}

fn owners(
    sessions: &[&mut dyn SessionDriver],
    permutation: &[&str],
) -> Result<Vec<usize>, HarnessError> {
    let mut seen = std::collections::HashMap::new();
    for (i, session) in sessions.iter().enumerate() {
        for step in session.step_names() {
            if seen.insert(step.clone(), i).is_some() {
                return Err(HarnessError::DuplicateStep(step));
            }
        }
    }
    permutation
        .iter()
        .map(|step| {
            seen.get(*step)
                .copied()
                .ok_or_else(|| HarnessError::UnknownStep((*step).to_owned()))
        })
        .collect()
}

fn record(session: &str, step: &str, waited: bool, outcome: Option<StepOutcome>) -> StepRecord {
    StepRecord {
        session: session.to_owned(),
        step: step.to_owned(),
        waited,
        outcome,
    }
}

fn show(outcome: &StepOutcome) -> String {
    match outcome {
        Ok(text) => text.clone(),
        Err(error) => format!("ERROR: {error}"),
    }
}
