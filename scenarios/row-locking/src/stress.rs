//! A bounded stress run: a fixed number of threads (one connection each) work through a
//! fixed number of purchases of one item, under a time cap. The fixes must never oversell
//! and must sell exactly the stock; how often the broken path oversells is luck.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lab_kit::postgres::TempSchema;

use crate::{Ledger, PgPurchase, Sale, SqlitePurchase, fixed::queue, pg_runs, sqlite_runs};

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
    /// Answers that said "try again" (NOWAIT, BUSY) and were tried again.
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

impl Counters {
    /// Runs purchases until none is left, retrying one that says "try again".
    fn work<E: std::fmt::Display>(
        &self,
        plan: &Plan,
        deadline: Instant,
        mut buy: impl FnMut(&str) -> Result<Sale, E>,
        retryable: impl Fn(&E) -> bool,
    ) {
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
                match buy(&buyer) {
                    Ok(Sale::Sold { .. }) => self.sold.fetch_add(1, Ordering::Relaxed),
                    Ok(Sale::SoldOut) => self.sold_out.fetch_add(1, Ordering::Relaxed),
                    Ok(Sale::TryAgain) => {
                        self.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    Err(e) if retryable(&e) => {
                        self.retries.fetch_add(1, Ordering::Relaxed);
                        continue;
                    }
                    Err(e) => {
                        self.fail(e.to_string());
                        return;
                    }
                };
                break;
            }
        }
    }

    fn fail(&self, error: String) {
        let mut slot = self
            .error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        slot.get_or_insert(error);
    }

    fn tally(self, ledger: Ledger) -> lab_kit::Result<Tally> {
        if let Some(error) = self
            .error
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
        {
            return Err(lab_kit::Error::Invalid(format!(
                "a purchase failed: {error}"
            )));
        }
        Ok(Tally {
            ledger,
            sold: self.sold.into_inner(),
            sold_out: self.sold_out.into_inner(),
            retries: self.retries.into_inner(),
            unfinished: self.unfinished.into_inner(),
        })
    }
}

/// Runs `buy` on SQLite: one database file, `plan.threads` connections that wait for
/// locks as Django's SQLite backend does (a busy timeout), BUSY tried again.
pub fn sqlite(buy: SqlitePurchase, plan: &Plan) -> lab_kit::Result<Tally> {
    let db = sqlite_runs::shop(plan.stock)?;
    let counters = Counters::default();
    let deadline = Instant::now() + plan.cap;
    std::thread::scope(|scope| {
        for _ in 0..plan.threads {
            scope.spawn(|| match db.connect_waiting(Duration::from_secs(5)) {
                Ok(conn) => counters.work(
                    plan,
                    deadline,
                    |buyer| buy(&conn, buyer),
                    lab_kit::sqlite::is_busy,
                ),
                Err(e) => counters.fail(e.to_string()),
            });
        }
    });
    let ledger = sqlite_runs::ledger(&db.connect()?, plan.stock)?;
    counters.tally(ledger)
}

/// Runs `buy` on PostgreSQL: a schema of its own, `plan.threads` connections.
pub fn postgres(url: &str, buy: PgPurchase, plan: &Plan) -> lab_kit::Result<Tally> {
    let shop = pg_runs::PgShop::new(url, plan.stock, "")?;
    let counters = Counters::default();
    let deadline = Instant::now() + plan.cap;
    std::thread::scope(|scope| {
        for _ in 0..plan.threads {
            scope.spawn(|| match shop.schema.connect() {
                Ok(mut client) => {
                    counters.work(plan, deadline, |buyer| buy(&mut client, buyer), |_| false);
                }
                Err(e) => counters.fail(e.to_string()),
            });
        }
    });
    let ledger = shop.ledger(plan.stock)?;
    counters.tally(ledger)
}

/// Drains a queue of `jobs` jobs with `threads` SKIP LOCKED workers; how often each job
/// ran. Workers stop when the queue is empty or the cap is reached.
pub fn queue(url: &str, threads: usize, jobs: i64, cap: Duration) -> lab_kit::Result<Vec<i64>> {
    let schema = TempSchema::new(url)?;
    schema.connect()?.batch_execute(&format!(
        "{}INSERT INTO queue_job (id) SELECT generate_series(1, {jobs});",
        queue::SCHEMA
    ))?;
    let error = Mutex::new(None::<String>);
    let deadline = Instant::now() + cap;
    std::thread::scope(|scope| {
        for t in 0..threads {
            let (schema, error) = (&schema, &error);
            scope.spawn(move || {
                let worker = format!("w{t}");
                let result = schema.connect().and_then(|mut client| {
                    while Instant::now() < deadline
                        && queue::work_one(&mut client, &worker)?.is_some()
                    {}
                    Ok(())
                });
                if let Err(e) = result {
                    error
                        .lock()
                        .unwrap_or_else(std::sync::PoisonError::into_inner)
                        .get_or_insert(e.to_string());
                }
            });
        }
    });
    if let Some(e) = error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(lab_kit::Error::Invalid(format!("a worker failed: {e}")));
    }
    let rows = schema.connect()?.query(
        "SELECT count(r.id) FROM queue_job j LEFT JOIN queue_run r ON r.job_id = j.id \
         GROUP BY j.id ORDER BY j.id",
        &[],
    )?;
    Ok(rows.iter().map(|row| row.get(0)).collect())
}
