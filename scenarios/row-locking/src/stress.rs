//! A bounded stress run: a fixed number of threads (one connection each) work through a
//! fixed number of purchases of one item, under a time cap, on either backend. The fixes
//! must never oversell and must sell exactly the stock; how often the broken view oversells
//! is up to the scheduler.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lab_kit::db::{Backend, Db, World};

use crate::model::{Ledger, Purchase, Sale};

/// How big the run is.
#[derive(Debug, Clone)]
pub struct Plan {
    pub threads: usize,
    pub purchases: usize,
    pub stock: i64,
    /// A safety cap, not a measurement: purchases not tried by then count as unfinished.
    pub cap: Duration,
}

impl Default for Plan {
    fn default() -> Self {
        Self {
            threads: 4,
            purchases: 60,
            stock: 20,
            cap: Duration::from_secs(60),
        }
    }
}

/// What a run left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tally {
    pub ledger: Ledger,
    pub sold: usize,
    pub sold_out: usize,
    /// Answers that said "try again" or "database is locked" and were tried again.
    pub retries: usize,
    /// Purchases the cap cut off.
    pub unfinished: usize,
}

#[derive(Default)]
struct Counters {
    next: AtomicUsize,
    sold: AtomicUsize,
    sold_out: AtomicUsize,
    retries: AtomicUsize,
    unfinished: AtomicUsize,
    error: Mutex<Option<String>>,
}

/// Runs `purchase` on `backend` with `plan.threads` connections that wait for locks as
/// Django's do (SQLite: a 5 s busy timeout), a "try again" or "database is locked" tried
/// again, then reads the ledger.
pub fn run(purchase: &Purchase, backend: Backend, plan: &Plan) -> lab_kit::Result<Tally> {
    let world = World::new(backend, &crate::model::schema(backend, plan.stock))?;
    let connections = (0..plan.threads)
        .map(|_| world.connect_waiting(Duration::from_secs(5)))
        .collect::<lab_kit::Result<Vec<_>>>()?;
    let counters = Counters::default();
    let deadline = Instant::now() + plan.cap;
    std::thread::scope(|scope| {
        for mut db in connections {
            let counters = &counters;
            scope.spawn(move || counters.work(&mut *db, purchase, plan, deadline));
        }
    });
    if let Some(error) = counters
        .error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(lab_kit::Error::scenario(format!(
            "a purchase failed: {error}"
        )));
    }
    Ok(Tally {
        ledger: Ledger::read(&mut *world.connect()?, plan.stock)?,
        sold: counters.sold.into_inner(),
        sold_out: counters.sold_out.into_inner(),
        retries: counters.retries.into_inner(),
        unfinished: counters.unfinished.into_inner(),
    })
}

impl Counters {
    /// Takes purchases until none is left, each tried until it gets a real answer.
    fn work(&self, db: &mut dyn Db, purchase: &Purchase, plan: &Plan, deadline: Instant) {
        loop {
            let i = self.next.fetch_add(1, Ordering::Relaxed);
            if i >= plan.purchases {
                return;
            }
            let buyer = format!("buyer{i}");
            loop {
                if Instant::now() > deadline {
                    self.unfinished.fetch_add(1, Ordering::Relaxed);
                    break;
                }
                let counter = match purchase.buy(db, &buyer) {
                    Ok(Sale::Sold { .. }) => &self.sold,
                    Ok(Sale::SoldOut) => &self.sold_out,
                    Ok(Sale::TryAgain) => {
                        self.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    Err(e) if e.is_busy() => {
                        self.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    Err(e) => {
                        let mut error = self
                            .error
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        error.get_or_insert(lab_kit::error_chain(&e));
                        return;
                    }
                };
                counter.fetch_add(1, Ordering::Relaxed);
                break;
            }
        }
    }
}
