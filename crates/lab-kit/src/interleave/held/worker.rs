//! A request on a worker thread of its own: waiting while its outbound call is held.

use std::sync::{Arc, Mutex, PoisonError};

use super::Gates;
use crate::interleave::{Progress, SessionDriver, StepOutcome};
use crate::sqlite::StatementLog;

type WorkFn = Box<dyn FnOnce() -> StepOutcome + Send>;

/// A session whose steps each run on a worker thread of their own (a request on a
/// server's worker): a step is waiting while its outbound call is held, and done when its
/// code returned. Given the statement log of the worker's connection, each report of a
/// step says what the database was asked since the last one: `ran BEGIN; ...; then ...`.
pub struct WorkerSession {
    name: String,
    gates: Gates,
    steps: Vec<(String, String, Option<WorkFn>)>,
    pending: Option<(usize, Arc<Mutex<Option<StepOutcome>>>)>,
    log: Option<StatementLog>,
}

impl std::fmt::Debug for WorkerSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WorkerSession")
            .field("name", &self.name)
            .field("steps", &self.step_names())
            .finish_non_exhaustive()
    }
}

impl WorkerSession {
    /// A session called `name` whose services' calls go through `gates`.
    pub fn new(name: &str, gates: &Gates) -> Self {
        Self {
            name: name.to_owned(),
            gates: gates.clone(),
            steps: Vec::new(),
            pending: None,
            log: None,
        }
    }

    /// Shows, with every report of a step, the statements `log` caught since the last one.
    #[must_use]
    pub fn statements(mut self, log: StatementLog) -> Self {
        self.log = Some(log);
        self
    }

    /// A step that runs `run` once, on a thread of its own; `shown` is what the
    /// transcript prints for it.
    #[must_use]
    pub fn step(
        mut self,
        step: &str,
        shown: &str,
        run: impl FnOnce() -> StepOutcome + Send + 'static,
    ) -> Self {
        self.steps
            .push((step.to_owned(), shown.to_owned(), Some(Box::new(run))));
        self
    }

    /// Where the running step stands, once the story is at rest. The statements it ran
    /// are told with the next report the transcript shows: its start, or its end (a
    /// resumed step that still waits is not shown).
    fn progress(&mut self, shown: bool) -> Progress {
        let Some((from, slot)) = &self.pending else {
            return Progress::Done(Err("nothing to resume".to_owned()));
        };
        if let Err(why) = self.gates.rest() {
            return Progress::Done(Err(why));
        }
        let finished = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
        if finished.is_none() && !shown {
            return Progress::Waiting("an outbound call is held".to_owned());
        }
        let ran = self
            .log
            .as_ref()
            .map(StatementLog::take)
            .unwrap_or_default();
        let ran = |text: String| match ran.is_empty() {
            true => text,
            false => format!("ran {}; then {text}", ran.join("; ")),
        };
        match finished {
            Some(outcome) => {
                self.pending = None;
                Progress::Done(outcome.map(ran))
            }
            None => Progress::Waiting(ran(self
                .gates
                .held_since(*from)
                .unwrap_or_else(|| "an outbound call is held".to_owned()))),
        }
    }
}

impl SessionDriver for WorkerSession {
    fn name(&self) -> &str {
        &self.name
    }

    fn step_names(&self) -> Vec<String> {
        self.steps.iter().map(|(name, _, _)| name.clone()).collect()
    }

    fn describe(&self, step: &str) -> String {
        self.steps
            .iter()
            .find(|(name, _, _)| name == step)
            .map_or_else(String::new, |(_, shown, _)| shown.clone())
    }

    fn start(&mut self, step: &str) -> Progress {
        let run = self
            .steps
            .iter_mut()
            .find(|(name, _, _)| name == step)
            .and_then(|(_, _, run)| run.take());
        let Some(run) = run else {
            return Progress::Done(Err(format!(
                "no step `{step}` left to run in {}",
                self.name
            )));
        };
        let slot = Arc::new(Mutex::new(None));
        let from = {
            let mut state = self.gates.lock();
            // Counted before the thread exists, so resting waits for it.
            state.running += 1;
            state.calls.len()
        };
        let (gates, done) = (self.gates.clone(), Arc::clone(&slot));
        std::thread::spawn(move || {
            // A panic is the step's error, not a worker that never comes to rest.
            let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(run))
                .unwrap_or_else(|_| Err("the worker panicked".to_owned()));
            let mut state = gates.lock();
            *done.lock().unwrap_or_else(PoisonError::into_inner) = Some(outcome);
            state.running -= 1;
            gates.shared.changed.notify_all();
        });
        self.pending = Some((from, slot));
        self.progress(true)
    }

    fn resume(&mut self) -> Progress {
        self.progress(false)
    }
}
