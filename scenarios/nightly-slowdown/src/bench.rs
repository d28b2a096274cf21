//! `lab bench nightly-slowdown`: the purge of a million old events while a steady load of
//! page views (writes) and reads runs on loopback - the broken job and the fix, in
//! rollback-journal and WAL mode, plus the fix without its rest - all in one run, with
//! p50 / p99 / max latency before, during and after the job from HDR histograms.

use std::time::Duration;

use lab_kit::sqlite::TempDb;
use lab_kit::{BenchOptions, Table};
use rusqlite::Connection;

use crate::load::{self, Measured, Plan};
use crate::model::{JournalMode, Purge, Seed};
use crate::{broken, fixed};

/// Old events to purge unless `--rows` says otherwise.
const DEFAULT_EXPIRED: u64 = 1_000_000;
/// The fix's p99 write latency during the job may be at most this many times the idle one.
const TARGET: f64 = 5.0;

/// Builds the log once, then for each configuration copies it, runs the load and the job,
/// and tabulates the latencies of this one run.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let expired = usize::try_from(options.rows.unwrap_or(DEFAULT_EXPIRED))
        .ok()
        .filter(|n| (10_000..=5_000_000).contains(n))
        .ok_or_else(|| {
            lab_kit::Error::Invalid("--rows (old events) must be 10000..=5000000".into())
        })?;
    let load_average = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let seed = Seed {
        expired,
        recent: expired / 10,
    };
    let template = TempDb::new()?;
    seed.load(&template.connect()?, JournalMode::Rollback)?;
    let plan = Plan {
        clients: 3,
        pace: Duration::from_millis(10),
        warmup: Duration::from_secs(1),
        idle: Duration::from_secs(3),
        cap: 100_000,
        busy_timeout: Duration::from_secs(5),
    };
    let restless = Purge {
        rest: Duration::ZERO,
        ..fixed::PURGE
    };
    let configs: [(&str, Purge, JournalMode); 5] = [
        ("broken", broken::PURGE, JournalMode::Rollback),
        ("broken", broken::PURGE, JournalMode::Wal),
        ("fixed", fixed::PURGE, JournalMode::Rollback),
        ("fixed", fixed::PURGE, JournalMode::Wal),
        ("fixed, no rest", restless, JournalMode::Wal),
    ];
    let mut table = Table::new([
        "variant",
        "journal",
        "request",
        "before: p50 / p99 / max",
        "during: p50 / p99 / max",
        "failed during",
        "after: p50 / p99 / max",
    ]);
    let mut notes = vec![format!(
        "{expired} old events purged, {} kept; {} writers and {} readers, one request every {} ms \
         each; views wait up to {} s for a lock; load average at the start: {}",
        seed.recent,
        plan.clients,
        plan.clients,
        plan.pace.as_millis(),
        plan.busy_timeout.as_secs(),
        load_average
            .split_whitespace()
            .take(3)
            .collect::<Vec<_>>()
            .join(" ")
    )];
    for (name, purge, mode) in configs {
        let db = TempDb::new()?;
        std::fs::copy(template.path(), db.path())?;
        Connection::open(db.path())?.query_row(
            &format!("PRAGMA journal_mode = {}", mode.pragma()),
            [],
            |r| r.get::<_, String>(0),
        )?;
        let measured = load::measure(&purge, db.path(), &plan)?;
        let journal = format!("{mode:?}").to_lowercase();
        for (kind, request) in ["write", "read"].into_iter().enumerate() {
            let p = &measured.phases[kind];
            table.row([
                name.to_owned(),
                journal.clone(),
                request.to_owned(),
                percentiles(&p[0].latency),
                percentiles(&p[1].latency),
                format!("{} of {}", p[1].failed, p[1].latency.len()),
                percentiles(&p[2].latency),
            ]);
        }
        notes.push(describe(name, &journal, &measured));
    }
    Ok((table, notes))
}

/// The job's figures and, for the write requests, the during / idle p99 ratio and whether
/// it meets the target.
fn describe(name: &str, journal: &str, m: &Measured) -> String {
    let writes = &m.phases[0];
    let ratio = writes[1].latency.value_at_quantile(0.99) as f64
        / writes[0].latency.value_at_quantile(0.99).max(1) as f64;
    let verdict = if ratio <= TARGET { "met" } else { "NOT met" };
    format!(
        "{name} ({journal}): the job deleted {} rows in {} batches in {:.1} s; p99 write during \
         / idle = {ratio:.1}x (target for the fix: at most {TARGET}x, {verdict})",
        m.purged.deleted,
        m.purged.batches,
        m.job_time.as_secs_f64()
    )
}

/// `p50 / p99 / max` in milliseconds, or `-` when nothing was measured.
fn percentiles(h: &hdrhistogram::Histogram<u64>) -> String {
    if h.is_empty() {
        return "-".to_owned();
    }
    let ms = |micros: u64| micros as f64 / 1000.0;
    format!(
        "{:.1} / {:.1} / {:.1} ms",
        ms(h.value_at_quantile(0.5)),
        ms(h.value_at_quantile(0.99)),
        ms(h.max())
    )
}
