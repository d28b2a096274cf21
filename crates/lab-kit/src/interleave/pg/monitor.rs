//! The monitor connection: which registered sessions block a backend, from
//! `pg_blocking_pids` - the isolation tester's rule for "waiting".

use std::fmt;
use std::sync::{Arc, Mutex, PoisonError};

use postgres::Client;

/// The extra connection that watches the sessions, like the isolation tester's control
/// connection. Clone it into every session of one permutation: a session is reported
/// as waiting only when it is blocked by another session registered here.
#[derive(Clone)]
pub struct Monitor {
    inner: Arc<Mutex<MonitorState>>,
}

struct MonitorState {
    client: Client,
    sessions: Vec<(i32, String)>,
}

impl fmt::Debug for Monitor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Monitor").finish_non_exhaustive()
    }
}

impl Monitor {
    /// A monitor on its own connection.
    pub fn new(client: Client) -> Self {
        Self {
            inner: Arc::new(Mutex::new(MonitorState {
                client,
                sessions: Vec::new(),
            })),
        }
    }

    pub(super) fn register(&self, pid: i32, name: &str) {
        self.state().sessions.push((pid, name.to_owned()));
    }

    /// The sessions that block the backend `pid`, by name; empty if it is not blocked by
    /// any of them.
    pub(super) fn blockers(&self, pid: i32) -> Result<Vec<String>, postgres::Error> {
        let mut state = self.state();
        let row = state
            .client
            .query_one("SELECT pg_blocking_pids($1)", &[&pid])?;
        let pids: Vec<i32> = row.get(0);
        Ok(state
            .sessions
            .iter()
            .filter(|(p, _)| pids.contains(p))
            .map(|(_, name)| name.clone())
            .collect())
    }

    fn state(&self) -> std::sync::MutexGuard<'_, MonitorState> {
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
