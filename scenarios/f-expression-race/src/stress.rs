//! A bounded stress run: a fixed number of threads (one connection each) serve a fixed
//! number of visits to one article, under a time cap, on either backend. A fix must count
//! every visit served; how many the broken view loses is up to the scheduler.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lab_kit::db::{Backend, Db, World};

use crate::model::{CountVisit, request_begin, schema, view, views_in_db};

/// How big the run is.
#[derive(Debug, Clone)]
pub struct Plan {
    pub threads: usize,
    pub visits: usize,
    /// A safety cap, not a measurement: visits not served by then count as unfinished.
    pub cap: Duration,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            threads: 4,
            visits: 200,
            cap: Duration::from_secs(60),
        }
    }
}

/// What a run left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    /// Requests that ran to the end (committed, on PostgreSQL).
    pub served: usize,
    /// The counter in the database afterwards.
    pub views: i64,
    /// Visits the cap cut off.
    pub unfinished: usize,
}

#[derive(Default)]
struct Counters {
    next: AtomicUsize,
    served: AtomicUsize,
    unfinished: AtomicUsize,
    error: Mutex<Option<String>>,
}

/// Serves `plan.visits` visits with `count` on `backend` from `plan.threads` connections
/// that wait for locks as Django's do (SQLite: a 5 s busy timeout), then reads the counter.
pub fn run(count: CountVisit, backend: Backend, plan: &Plan) -> lab_kit::Result<Tally> {
    let world = World::new(backend, &schema(backend))?;
    let connections = (0..plan.threads)
        .map(|_| world.connect_waiting(Duration::from_secs(5)))
        .collect::<lab_kit::Result<Vec<_>>>()?;
    let counters = Counters::default();
    let deadline = Instant::now() + plan.cap;
    std::thread::scope(|scope| {
        for mut db in connections {
            let counters = &counters;
            scope.spawn(move || counters.work(&mut *db, count, plan, deadline));
        }
    });
    let error = counters.error.into_inner();
    if let Some(error) = error.unwrap_or_else(std::sync::PoisonError::into_inner) {
        return Err(lab_kit::Error::scenario(format!("a visit failed: {error}")));
    }
    Ok(Tally {
        served: counters.served.into_inner(),
        views: views_in_db(&mut *world.connect()?)?,
        unfinished: counters.unfinished.into_inner(),
    })
}

impl Counters {
    /// Takes visits until none is left; a visit that fails stops the run with its error.
    fn work(&self, db: &mut dyn Db, count: CountVisit, plan: &Plan, deadline: Instant) {
        let begin = request_begin(db.backend());
        loop {
            if self.next.fetch_add(1, Ordering::Relaxed) >= plan.visits {
                return;
            }
            if Instant::now() > deadline {
                self.unfinished.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let request = |db: &mut dyn Db| {
                if let Some(sql) = begin {
                    db.execute(sql, &[])?;
                }
                view(db, count)?;
                if begin.is_some() {
                    db.execute("COMMIT", &[])?;
                }
                Ok::<_, lab_kit::db::DbError>(())
            };
            if let Err(e) = request(db) {
                let mut error = self
                    .error
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                error.get_or_insert(lab_kit::error_chain(&e));
                return;
            }
            self.served.fetch_add(1, Ordering::Relaxed);
        }
    }
}
