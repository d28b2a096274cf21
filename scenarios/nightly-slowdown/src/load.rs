//! The benchmark's load: a few clients on loopback, each sending one request at a time at
//! a steady pace, while the nightly purge runs on a thread of its own; every request's
//! latency goes into an HDR histogram by kind and by phase (before, during, after the job).
//! Bounded: each client stops at `cap` requests or when the run ends, whichever is first.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use hdrhistogram::Histogram;
use tokio::time::MissedTickBehavior;

use crate::app::{Site, router};
use crate::model::{Purge, Purged};
use crate::request::Kind;

/// How the load runs.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Clients per kind (writers, readers).
    pub clients: usize,
    /// Each client sends its next request this long after the previous one was sent (or
    /// when it came back, if it took longer).
    pub pace: Duration,
    /// Time at the start whose requests are not counted (connections and caches warm up).
    pub warmup: Duration,
    /// Idle time (after the warm-up) before the job starts, and after it ends.
    pub idle: Duration,
    /// Requests per client at most.
    pub cap: usize,
    /// How long a view waits for a lock: Django's default `timeout`.
    pub busy_timeout: Duration,
}

/// Latencies of one kind of request in one phase, and how many failed.
#[derive(Debug)]
pub struct Phase {
    pub latency: Histogram<u64>,
    pub failed: u64,
}

impl Phase {
    fn new() -> Self {
        Self {
            latency: Histogram::new_with_bounds(1, 600_000_000, 3).expect("valid bounds"),
            failed: 0,
        }
    }
}

/// What one run measured: `[kind][phase]` with kinds write, read and phases before,
/// during, after; and what the job did and how long it took.
#[derive(Debug)]
pub struct Measured {
    pub phases: [[Phase; 3]; 2],
    pub purged: Purged,
    pub job_time: Duration,
}

struct Sample {
    kind: Kind,
    sent: Instant,
    micros: u64,
    ok: bool,
}

/// Serves the database at `db`, runs the load, runs `purge` once the idle time has passed,
/// and keeps the load going for the idle time after it ends.
pub fn measure(purge: &Purge, db: &Path, plan: &Plan) -> lab_kit::Result<Measured> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let site = Site {
        db: db.to_owned(),
        busy_timeout: plan.busy_timeout,
    };
    let stop = Arc::new(AtomicBool::new(false));
    let (samples, job, counted) = runtime.block_on(async {
        let server = lab_kit::http::serve(router(site)).await?;
        let mut clients = Vec::new();
        for kind in [Kind::Write, Kind::Read] {
            for _ in 0..plan.clients {
                let path = kind.line().split_once(' ').map_or("/", |(_, p)| p);
                let url = server.url(path);
                clients.push(tokio::spawn(client(
                    kind,
                    url,
                    Arc::clone(&stop),
                    plan.clone(),
                )));
            }
        }
        let counted = Instant::now() + plan.warmup;
        tokio::time::sleep(plan.warmup + plan.idle).await;
        let (purge, path, timeout) = (*purge, db.to_owned(), plan.busy_timeout);
        let job = tokio::task::spawn_blocking(move || {
            let conn = rusqlite::Connection::open(path)?;
            conn.busy_timeout(timeout)?;
            let started = Instant::now();
            let purged = purge.run(&conn)?;
            Ok::<_, rusqlite::Error>((started, Instant::now(), purged))
        })
        .await
        .map_err(std::io::Error::other)?;
        tokio::time::sleep(plan.idle).await;
        stop.store(true, Ordering::Relaxed);
        let mut samples = Vec::new();
        for c in clients {
            samples.extend(c.await.map_err(std::io::Error::other)?);
        }
        server.shutdown().await?;
        Ok::<_, lab_kit::Error>((samples, job, counted))
    })?;
    let (started, ended, purged) = job?;
    let mut phases = [
        [Phase::new(), Phase::new(), Phase::new()],
        [Phase::new(), Phase::new(), Phase::new()],
    ];
    for s in samples.into_iter().filter(|s| s.sent >= counted) {
        let phase = if s.sent < started {
            0
        } else if s.sent < ended {
            1
        } else {
            2
        };
        let slot = &mut phases[usize::from(s.kind == Kind::Read)][phase];
        slot.latency.saturating_record(s.micros.max(1));
        slot.failed += u64::from(!s.ok);
    }
    Ok(Measured {
        phases,
        purged,
        job_time: ended - started,
    })
}

async fn client(kind: Kind, url: String, stop: Arc<AtomicBool>, plan: Plan) -> Vec<Sample> {
    let http = lab_kit::http::client();
    let mut tick = tokio::time::interval(plan.pace);
    tick.set_missed_tick_behavior(MissedTickBehavior::Delay);
    let mut samples = Vec::new();
    while !stop.load(Ordering::Relaxed) && samples.len() < plan.cap {
        tick.tick().await;
        let request = match kind {
            Kind::Write => http.post(&url),
            Kind::Read => http.get(&url),
        };
        let sent = Instant::now();
        let ok = request.send().await.is_ok_and(|r| r.status().is_success());
        let micros = u64::try_from(sent.elapsed().as_micros()).unwrap_or(u64::MAX);
        samples.push(Sample {
            kind,
            sent,
            micros,
            ok,
        });
    }
    samples
}
