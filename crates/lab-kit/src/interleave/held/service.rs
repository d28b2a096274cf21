//! A loopback service's side of the story: a step answers the oldest call it holds.

use super::Gates;
use crate::interleave::{Progress, SessionDriver};

/// A loopback service's side of the story: each step answers the oldest call the service
/// holds, then waits until the story is at rest again.
#[derive(Debug)]
pub struct ServiceSession {
    name: String,
    gates: Gates,
    steps: Vec<String>,
}

impl ServiceSession {
    /// A session called `name` answering the calls of the service `name` holds.
    pub fn new(name: &str, gates: &Gates) -> Self {
        Self {
            name: name.to_owned(),
            gates: gates.clone(),
            steps: Vec::new(),
        }
    }

    /// A step that answers the oldest held call (or says there is none).
    #[must_use]
    pub fn answer(mut self, step: &str) -> Self {
        self.steps.push(step.to_owned());
        self
    }

    fn release_oldest(&self) -> Progress {
        let (index, before) = {
            let mut state = self.gates.lock();
            let found = state
                .calls
                .iter()
                .position(|c| c.service == self.name && c.release.is_some());
            let Some(index) = found else {
                return Progress::Done(Ok("nothing to answer: no call is held".to_owned()));
            };
            let release = state.calls[index].release.take();
            state.running += 1;
            if let Some(release) = release {
                let _ = release.send(());
            }
            // Counted under the lock, before the released worker can call again.
            (index, state.calls.len())
        };
        if let Err(why) = self.gates.rest() {
            return Progress::Done(Err(why));
        }
        let call = {
            let state = self.gates.lock();
            let call = &state.calls[index];
            let answer = call.answer.as_deref().unwrap_or("released");
            format!("{} -> {answer}", call.shown)
        };
        // The answer let a worker go on to its next outbound call: say so, since the
        // worker's own step is shown again only once it has finished.
        Progress::Done(Ok(match self.gates.held_since(before) {
            Some(next) => format!("{call}; then {next}"),
            None => call,
        }))
    }
}

impl SessionDriver for ServiceSession {
    fn name(&self) -> &str {
        &self.name
    }

    fn step_names(&self) -> Vec<String> {
        self.steps.clone()
    }

    fn describe(&self, _step: &str) -> String {
        "answer the oldest held call".to_owned()
    }

    fn start(&mut self, step: &str) -> Progress {
        if !self.steps.iter().any(|s| s == step) {
            return Progress::Done(Err(format!("no step `{step}` in {}", self.name)));
        }
        self.release_oldest()
    }

    fn resume(&mut self) -> Progress {
        Progress::Done(Err("an answer never waits".to_owned()))
    }
}
