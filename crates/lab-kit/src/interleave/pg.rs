//! The PostgreSQL session driver: each session's connection lives on its own thread, and a
//! step that does not answer is reported as waiting only once a separate monitor
//! connection sees the session's backend blocked by another session
//! (`pg_blocking_pids`), exactly as PostgreSQL's isolation tester decides it.

use std::fmt;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};

use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use postgres::{CancelToken, Client, NoTls};

use super::{Progress, SessionDriver, StepOutcome};

mod monitor;

use crate::postgres::{describe_error, run_and_describe};
pub use monitor::Monitor;

/// What a PostgreSQL step's code returns: a result text, or the server's error.
pub type PgStepResult = Result<String, postgres::Error>;

type PgStepFn = Box<dyn FnMut(&mut Client) -> PgStepResult + Send>;

/// How often a step that has not answered is checked again: only how soon a state is
/// noticed, never which session goes first.
const POLL: Duration = Duration::from_millis(2);

/// A step that neither answers nor waits on a session's lock for this long is an error
/// (a hung server, a lock held outside the permutation), not a silent hang.
const STEP_LIMIT: Duration = Duration::from_secs(60);

/// A PostgreSQL session: one connection, on a thread of its own so a step can block on a
/// lock while the harness goes on with the other sessions.
pub struct PgSession {
    name: String,
    pid: i32,
    monitor: Monitor,
    cancel: CancelToken,
    // The steps' code; a running step's code is on the session thread until it answers.
    steps: Vec<(String, String, Option<PgStepFn>)>,
    jobs: Option<Sender<(usize, PgStepFn)>>,
    replies: Receiver<(usize, PgStepFn, StepOutcome)>,
    thread: Option<JoinHandle<()>>,
    pending: bool,
}

impl fmt::Debug for PgSession {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PgSession")
            .field("name", &self.name)
            .field("steps", &self.step_names())
            .finish_non_exhaustive()
    }
}

impl PgSession {
    /// A session called `name` on `client`, watched by `monitor`, with no steps yet.
    pub fn new(name: &str, mut client: Client, monitor: &Monitor) -> crate::Result<Self> {
        let pid: i32 = client.query_one("SELECT pg_backend_pid()", &[])?.get(0);
        monitor.register(pid, name);
        let cancel = client.cancel_token();
        let (jobs, job_rx) = mpsc::channel::<(usize, PgStepFn)>();
        let (reply_tx, replies) = mpsc::channel();
        let thread = std::thread::Builder::new()
            .name(format!("pg-session-{name}"))
            .spawn(move || {
                for (index, mut run) in job_rx {
                    let outcome = run(&mut client).map_err(|e| describe_error(&e));
                    if reply_tx.send((index, run, outcome)).is_err() {
                        break;
                    }
                }
            })?;
        Ok(Self {
            name: name.to_owned(),
            pid,
            monitor: monitor.clone(),
            cancel,
            steps: Vec::new(),
            jobs: Some(jobs),
            replies,
            thread: Some(thread),
            pending: false,
        })
    }

    /// A step that runs one SQL statement and shows what came back.
    #[must_use]
    pub fn sql(self, step: &str, sql: &str) -> Self {
        let owned = sql.to_owned();
        self.step(step, sql, move |client| run_and_describe(client, &owned))
    }

    /// A step that runs application code on the session's connection; `shown` is what
    /// the transcript prints for it. The code may run several statements: if one blocks,
    /// the step waits there and continues when the lock is granted.
    #[must_use]
    pub fn step(
        mut self,
        step: &str,
        shown: &str,
        run: impl FnMut(&mut Client) -> PgStepResult + Send + 'static,
    ) -> Self {
        self.steps
            .push((step.to_owned(), shown.to_owned(), Some(Box::new(run))));
        self
    }

    /// Waits for the running step: its answer, or the monitor seeing it blocked.
    fn progress(&mut self) -> Progress {
        let started = Instant::now();
        let mut monitor_error = None;
        loop {
            match self.replies.recv_timeout(POLL) {
                Ok(reply) => return self.finish(reply),
                Err(RecvTimeoutError::Disconnected) => {
                    self.pending = false;
                    return Progress::Done(Err("the session's thread ended".to_owned()));
                }
                Err(RecvTimeoutError::Timeout) => {}
            }
            match self.monitor.blockers(self.pid) {
                Ok(blockers) if !blockers.is_empty() => {
                    self.pending = true;
                    return Progress::Waiting(format!(
                        "blocked by {} (pg_blocking_pids)",
                        blockers.join(", ")
                    ));
                }
                Ok(_) => {}
                // Without a monitor the step can only be waited for; the limit below
                // still ends a step that never answers.
                Err(e) => monitor_error = Some(describe_error(&e)),
            }
            if started.elapsed() > STEP_LIMIT {
                // Cancel, then collect the cancelled step's answer so no stale reply is
                // left for the next step.
                let _ = self.cancel.cancel_query(NoTls);
                let answer = match self.replies.recv_timeout(STEP_LIMIT) {
                    Ok(reply) => self.finish(reply),
                    Err(_) => Progress::Done(Err("the session's thread ended".to_owned())),
                };
                let why = monitor_error.map_or_else(
                    || "not blocked by another session".to_owned(),
                    |e| format!("the monitor failed: {e}"),
                );
                let answer = match answer {
                    Progress::Done(outcome) => show_outcome(&outcome),
                    Progress::Waiting(w) => w,
                };
                return Progress::Done(Err(format!(
                    "no answer within {} s ({why}); cancelled: {answer}",
                    STEP_LIMIT.as_secs()
                )));
            }
        }
    }

    /// Takes a step's answer: its code goes back to the session, the outcome to the caller.
    fn finish(&mut self, (index, run, outcome): (usize, PgStepFn, StepOutcome)) -> Progress {
        self.steps[index].2 = Some(run);
        self.pending = false;
        Progress::Done(outcome)
    }
}

fn show_outcome(outcome: &StepOutcome) -> String {
    match outcome {
        Ok(text) => text.clone(),
        Err(error) => error.clone(),
    }
}

impl SessionDriver for PgSession {
    fn name(&self) -> &str {
        &self.name
    }

    fn step_names(&self) -> Vec<String> {
        self.steps.iter().map(|s| s.0.clone()).collect()
    }

    fn describe(&self, step: &str) -> String {
        self.steps
            .iter()
            .find(|s| s.0 == step)
            .map_or_else(String::new, |s| s.1.clone())
    }

    fn start(&mut self, step: &str) -> Progress {
        let Some(index) = self.steps.iter().position(|s| s.0 == step) else {
            return Progress::Done(Err(format!("no step `{step}` in session {}", self.name)));
        };
        let Some(run) = self.steps[index].2.take() else {
            return Progress::Done(Err(format!("step `{step}` is still running")));
        };
        let sent = self.jobs.as_ref().map(|jobs| jobs.send((index, run)));
        if !matches!(sent, Some(Ok(()))) {
            return Progress::Done(Err("the session's thread ended".to_owned()));
        }
        self.progress()
    }

    fn resume(&mut self) -> Progress {
        if !self.pending {
            return Progress::Done(Err("nothing to resume".to_owned()));
        }
        self.progress()
    }
}

impl Drop for PgSession {
    fn drop(&mut self) {
        // A step still blocked at the end of a permutation is cancelled, so the thread
        // can finish and the connection closes (rolling back its open transaction).
        if self.pending {
            let _ = self.cancel.cancel_query(NoTls);
        }
        self.jobs = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}
