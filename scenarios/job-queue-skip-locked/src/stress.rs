//! A bounded stress run: a fixed number of worker threads (one connection each) work a
//! queue of a fixed number of jobs empty, under a time cap, on either backend. With a fix
//! every job runs exactly once; how often the broken turn runs a job twice is up to the
//! scheduler.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lab_kit::db::{Backend, Db, DbError, World};

use crate::model::{Ledger, Worker, pending};

/// How big the run is.
#[derive(Debug, Clone)]
pub struct Plan {
    pub workers: usize,
    pub jobs: i64,
    /// A safety cap, not a measurement: a worker still busy by then stops.
    pub cap: Duration,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            workers: 4,
            jobs: 40,
            cap: Duration::from_secs(60),
        }
    }
}

/// What a run left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Runs per job, job 1 first: the truth is all ones.
    pub runs: Vec<i64>,
    /// Turns that claimed nothing although jobs were still pending (a lost race on
    /// PostgreSQL's conditional claim, or jobs other workers held) and were taken again.
    pub empty_turns: usize,
    /// Turns answered "database is locked" (SQLite) and taken again.
    pub busy: usize,
    /// Whether the cap stopped a worker before the queue was empty.
    pub capped: bool,
}

#[derive(Default)]
struct Counters {
    empty_turns: AtomicUsize,
    busy: AtomicUsize,
    capped: AtomicUsize,
    error: Mutex<Option<String>>,
}

/// Runs `plan.workers` threads of `worker` until the queue is empty, with connections that
/// wait for locks as Django's do (SQLite: a 5 s busy timeout), then reads every job's runs.
pub fn run(worker: &Worker, backend: Backend, plan: &Plan) -> lab_kit::Result<Tally> {
    let world = World::new(backend, &crate::model::schema(backend, plan.jobs))?;
    let connections = (0..plan.workers)
        .map(|_| world.connect_waiting(Duration::from_secs(5)))
        .collect::<lab_kit::Result<Vec<_>>>()?;
    let counters = Counters::default();
    let deadline = Instant::now() + plan.cap;
    std::thread::scope(|scope| {
        for (i, mut db) in connections.into_iter().enumerate() {
            let counters = &counters;
            let name = format!("w{}", i + 1);
            scope.spawn(move || counters.work(&mut *db, worker, &name, deadline));
        }
    });
    let error = counters.error.into_inner();
    if let Some(error) = error.unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(lab_kit::Error::scenario(format!(
            "a worker failed: {error}"
        )));
    }
    let ledger = Ledger::read(&mut *world.connect()?, plan.jobs, &[])?;
    Ok(Tally {
        runs: ledger.jobs.iter().map(|j| j.runs).collect(),
        empty_turns: counters.empty_turns.into_inner(),
        busy: counters.busy.into_inner(),
        capped: counters.capped.into_inner() > 0,
    })
}

impl Counters {
    /// Turns until no job is pending; a turn that claimed nothing while jobs are still
    /// pending, or met "database is locked", is taken again.
    fn work(&self, db: &mut dyn Db, worker: &Worker, name: &str, deadline: Instant) {
        loop {
            if Instant::now() > deadline {
                self.capped.fetch_add(1, Ordering::Relaxed);
                return;
            }
            match worker.work_one(db, name) {
                Ok(Some(_)) => {}
                Ok(None) => match pending(db) {
                    Ok(0) => return,
                    Ok(_) => {
                        self.empty_turns.fetch_add(1, Ordering::Relaxed);
                    }
                    Err(e) => return self.fail(&e),
                },
                Err(e) if e.is_busy() => {
                    self.busy.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => return self.fail(&e),
            }
        }
    }

    fn fail(&self, error: &DbError) {
        let mut slot = self
            .error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert(lab_kit::error_chain(error));
    }
}
