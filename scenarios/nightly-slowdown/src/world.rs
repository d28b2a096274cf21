//! One schedule: the seed log in a fresh SQLite file, the site serving it on loopback, the
//! purge as a session of the interleaving harness (one step per statement of the job's
//! own: begin, each batch, end) and requests as sessions of one step each, one explicit
//! permutation, and for every request how many of the job's steps it waited through.

use std::collections::BTreeMap;
use std::time::Duration;

use lab_kit::interleave::{self, Interleaving, SessionDriver, SqliteSession};
use lab_kit::sqlite::{StatementLog, TempDb};

use crate::app::{Site, router};
use crate::model::{BATCH, CUTOFF, JournalMode, Purge, Rows, Seed};
use crate::request::{Kind, RequestSession};

/// The job's page cache in the tests, in pages. Its few hundred rows then outgrow the
/// cache the way a million rows outgrow SQLite's default 2 MiB; the benchmark keeps the
/// default.
pub const JOB_CACHE_PAGES: i64 = 16;

/// The job's steps: `job_begin`, one `job_batch_<i>` per batch the seed needs, `job_end`.
pub fn job_steps(seed: Seed) -> Vec<String> {
    let batches = seed
        .expired
        .div_ceil(usize::try_from(BATCH).expect("a small batch"));
    let mut steps = vec!["job_begin".to_owned()];
    steps.extend((1..=batches).map(|i| format!("job_batch_{i}")));
    steps.push("job_end".to_owned());
    steps
}

/// What a schedule did and left.
#[derive(Debug)]
pub struct Ran {
    pub interleaving: Interleaving,
    /// Per request step: how many of the job's steps ran while it waited.
    pub waits: BTreeMap<String, usize>,
    pub rows: Rows,
}

/// Runs `purge` over the small seed in `mode`, with `requests` (step name and kind, one
/// session each), through `permutation`.
pub fn run(
    purge: &Purge,
    mode: JournalMode,
    requests: &[(String, Kind)],
    permutation: &[String],
) -> lab_kit::Result<Ran> {
    let db = TempDb::new()?;
    Seed::SMALL.load(&db.connect()?, mode)?;
    // The views give up on a lock at once: the harness, not a timer, decides how long a
    // request waits.
    let site = Site {
        db: db.path().to_owned(),
        busy_timeout: Duration::ZERO,
    };
    let server = lab_kit::http::serve_on_thread(router(site))?;

    let mut conn = db.connect()?;
    conn.pragma_update(None, "cache_size", JOB_CACHE_PAGES)?;
    let log = StatementLog::attach(&mut conn)?;
    let mut job = SqliteSession::new("job", conn);
    let purge = *purge;
    for step in job_steps(Seed::SMALL) {
        let log = log.clone();
        let shown = step.trim_start_matches("job_").replace('_', " ");
        let name = step.clone();
        job = job.step(&name, &shown, move |c| {
            let what = if step.starts_with("job_batch") {
                format!("{} rows deleted", (purge.batch)(c, CUTOFF, BATCH)?)
            } else if step == "job_begin" {
                (purge.begin)(c).map(|()| "ok".to_owned())?
            } else {
                (purge.end)(c).map(|()| "ok".to_owned())?
            };
            let sent = log.take();
            let sent = if sent.is_empty() {
                "(no statement)".to_owned()
            } else {
                sent.join("; ")
            };
            Ok(format!("{sent} -> {what}"))
        });
    }
    let mut clients: Vec<RequestSession> = requests
        .iter()
        .map(|(step, kind)| RequestSession::new(step, step, *kind, |p| server.url(p)))
        .collect();
    let mut sessions: Vec<&mut dyn SessionDriver> = vec![&mut job];
    sessions.extend(clients.iter_mut().map(|c| c as &mut dyn SessionDriver));
    let steps: Vec<&str> = permutation.iter().map(String::as_str).collect();
    let interleaving = interleave::run(&mut sessions, &steps)?;
    drop(sessions);
    drop((job, clients, server));

    if let Some(bad) = interleaving
        .steps
        .iter()
        .find(|s| !matches!(s.outcome, Some(Ok(_))))
    {
        let why = match &bad.outcome {
            Some(Err(e)) => e.clone(),
            _ => "still waiting when the schedule ended".to_owned(),
        };
        return Err(lab_kit::Error::scenario(format!("{}: {why}", bad.step)));
    }
    let waits = waits(&interleaving, permutation);
    let rows = Rows::read(&db.connect()?)?;
    Ok(Ran {
        interleaving,
        waits,
        rows,
    })
}

/// For each request: the job's steps that finished after it was first sent and before it
/// was answered. The job itself never waits, so its steps finish in the permutation's
/// order; a request's record sits where it finished.
fn waits(interleaving: &Interleaving, permutation: &[String]) -> BTreeMap<String, usize> {
    let is_job = |step: &str| step.starts_with("job_");
    let mut out = BTreeMap::new();
    for (at, record) in interleaving.steps.iter().enumerate() {
        if is_job(&record.step) {
            continue;
        }
        let sent_after = permutation
            .iter()
            .take_while(|s| **s != record.step)
            .filter(|s| is_job(s))
            .count();
        let answered_after = interleaving.steps[..at]
            .iter()
            .filter(|s| is_job(&s.step))
            .count();
        out.insert(record.step.clone(), answered_after - sent_after);
    }
    out
}
