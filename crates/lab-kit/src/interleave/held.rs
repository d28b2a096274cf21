//! Loopback services whose calls the permutation answers (feature `http`). A service's
//! handler holds each call it gets ([`Gates::hold`]) until a step of a [`ServiceSession`]
//! releases it; a request runs on a worker thread of its own ([`WorkerSession`]) and is
//! waiting while one of its outbound calls is held. Every step ends at rest - each worker
//! blocked on a held call or finished - so what a database session does next never races
//! a worker: the order is the permutation's, never a timer's.

use std::sync::{Arc, Condvar, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use tokio::sync::oneshot;

mod service;
mod worker;

pub use service::ServiceSession;
pub use worker::WorkerSession;

/// How long a step may take to come to rest before the harness calls the story broken (a
/// worker that neither finishes nor makes a held call). A safety cap; it orders nothing.
const REST_LIMIT: Duration = Duration::from_secs(60);

/// The calls a story's loopback services hold, and how many workers are running. Clone it
/// into every service's state and every session of the story.
#[derive(Debug, Clone, Default)]
pub struct Gates {
    shared: Arc<Shared>,
}

#[derive(Debug, Default)]
struct Shared {
    state: Mutex<State>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct State {
    /// Calls go through at once: a story that needs no order between them.
    open: bool,
    /// Workers that are neither finished nor blocked on a held call.
    running: usize,
    calls: Vec<Call>,
}

#[derive(Debug)]
struct Call {
    service: String,
    shown: String,
    /// Taken when a step releases the call.
    release: Option<oneshot::Sender<()>>,
    answer: Option<String>,
}

/// A call a service got, once it may answer: say what it answered with
/// [`Held::answered`], for the transcript.
#[derive(Debug)]
pub struct Held {
    gates: Gates,
    index: usize,
}

impl Gates {
    /// Gates that hold every call until a step releases it.
    pub fn new() -> Self {
        Self::default()
    }

    /// Gates that let every call through at once (no step answers anything).
    pub fn open() -> Self {
        let gates = Self::default();
        gates.lock().open = true;
        gates
    }

    /// In a service's handler: records the call (`shown` is how the transcript shows it)
    /// and returns once a step answered it - at once when the gates are open. Only a
    /// worker's calls may be held: the harness thread would wait for itself.
    pub async fn hold(&self, service: &str, shown: impl Into<String>) -> Held {
        let (release, released) = oneshot::channel();
        let (index, held) = {
            let mut state = self.lock();
            let held = !state.open;
            state.calls.push(Call {
                service: service.to_owned(),
                shown: shown.into(),
                release: held.then_some(release),
                answer: None,
            });
            if held {
                state.running = state.running.saturating_sub(1);
            }
            self.shared.changed.notify_all();
            (state.calls.len() - 1, held)
        };
        if held {
            // An error means the story ended without answering: the call goes on.
            let _ = released.await;
        }
        Held {
            gates: self.clone(),
            index,
        }
    }

    /// How many calls the services got so far.
    pub fn calls(&self) -> usize {
        self.lock().calls.len()
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.shared
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Waits until no worker runs, or says why it gave up.
    fn rest(&self) -> Result<(), String> {
        let state = self.lock();
        let (_state, timeout) = self
            .shared
            .changed
            .wait_timeout_while(state, REST_LIMIT, |s| s.running > 0)
            .unwrap_or_else(PoisonError::into_inner);
        if timeout.timed_out() {
            return Err("a worker neither finished nor made a held call within 60 s".to_owned());
        }
        Ok(())
    }

    /// The first call from `from` on that is still held, as the transcript shows it.
    fn held_since(&self, from: usize) -> Option<String> {
        let state = self.lock();
        state.calls[from.min(state.calls.len())..]
            .iter()
            .find(|c| c.release.is_some())
            .map(|c| format!("{} holds {}", c.service, c.shown))
    }
}

impl Held {
    /// Records what the service answered.
    pub fn answered(self, answer: impl Into<String>) {
        self.gates.lock().calls[self.index].answer = Some(answer.into());
    }
}
