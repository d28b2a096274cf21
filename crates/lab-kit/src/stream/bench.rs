//! The benchmark harness of an export: the practical limit (the same rows in the same
//! format written to a sink in this thread, no HTTP) against the views over loopback
//! HTTP, in alternating rounds, printed as one table with its ratios and targets.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::{Export, Progress, ViewFn, app};
use crate::measure::{self, PeakWindow};
use crate::sqlite::TempDb;
use crate::{BenchOptions, Table};

/// One line of the table.
#[derive(Debug)]
pub struct Measured {
    pub name: &'static str,
    pub first_byte: Option<Duration>,
    pub total: Duration,
    /// Body bytes received (`None` for a sink that does not count them).
    pub bytes: Option<u64>,
    pub heap_growth: usize,
    pub rows_at_first_byte: Option<u64>,
}

/// The table size: `--rows`, or `default`; 1,000 to 20,000,000.
pub fn rows(options: &BenchOptions, default: u64) -> crate::Result<u64> {
    let rows = options.rows.unwrap_or(default);
    if !(1_000..=20_000_000).contains(&rows) {
        return Err(crate::Error::Invalid(
            "--rows must be 1000..=20000000".into(),
        ));
    }
    Ok(rows)
}

/// Times `export` - a bare loop into a sink - in this thread, with its heap growth.
pub fn in_process(
    name: &'static str,
    export: impl FnOnce() -> crate::Result<()>,
) -> crate::Result<Measured> {
    let window = PeakWindow::start();
    let start = Instant::now();
    export()?;
    Ok(Measured {
        name,
        first_byte: None,
        total: start.elapsed(),
        bytes: None,
        heap_growth: window.growth(),
        rows_at_first_byte: None,
    })
}

/// One download of `path` over loopback HTTP, timed from the request to the last byte.
/// The server and the client share one current-thread runtime, so a view's reader thread
/// has the other core to itself: more runtime threads than cores only take turns with it.
pub fn over_http(
    name: &'static str,
    path: &str,
    view: ViewFn,
    db: &TempDb,
) -> crate::Result<Measured> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let client = crate::http::client();
    let window = PeakWindow::start();
    let (first_byte, total, bytes) = crate::http::block_on(async {
        let server = crate::http::serve(app::router(path, view, context)).await?;
        let start = Instant::now();
        let mut response = client.get(server.url(path)).send().await?;
        let mut first_byte = None;
        let mut bytes = 0_u64;
        while let Some(chunk) = response.chunk().await? {
            first_byte.get_or_insert_with(|| start.elapsed());
            bytes += chunk.len() as u64;
        }
        let total = start.elapsed();
        server.shutdown().await?;
        Ok::<_, crate::Error>((first_byte, total, bytes))
    })??;
    Ok(Measured {
        name,
        first_byte,
        total,
        bytes: Some(bytes),
        heap_growth: window.growth(),
        rows_at_first_byte: progress.rows_read_at_first_byte(),
    })
}

/// What a comparison measures and aims for.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub rows: u64,
    /// The body's format, for the notes: `CSV`.
    pub format: &'static str,
    /// How long building the table took.
    pub built: Duration,
    /// Alternating rounds of the bare export and the fix.
    pub rounds: usize,
    /// The fix's throughput as a share of the bare export's, at least.
    pub ratio_target: f64,
    /// The fix's first byte, at most (median run), if the scenario claims one.
    pub first_byte_target: Option<Duration>,
    /// The fix's peak heap growth, at most (every round), if the scenario claims one.
    pub heap_target: Option<usize>,
    /// What the bare export is, in a line.
    pub bare_is: String,
}

/// Measures `bare` and `fixed` in alternating rounds, then `broken` once (it needs the
/// most memory), and prints the median runs, fixed / bare and the targets. Each round runs
/// the two back to back, so the median of the rounds' ratios is the figure that other
/// processes' load moves least (a burst slows one round, not the median); the range says
/// how noisy the machine was.
pub fn compare(
    c: &Comparison,
    mut bare: impl FnMut() -> crate::Result<Measured>,
    mut fixed: impl FnMut() -> crate::Result<Measured>,
    broken: impl FnOnce() -> crate::Result<Measured>,
) -> crate::Result<(Table, Vec<String>)> {
    let (mut bares, mut streams) = (Vec::new(), Vec::new());
    for _ in 0..c.rounds {
        bares.push(bare()?);
        streams.push(fixed()?);
    }
    let mut paired: Vec<f64> = bares
        .iter()
        .zip(&streams)
        .map(|(b, f)| b.total.as_secs_f64() / f.total.as_secs_f64())
        .collect();
    paired.sort_by(f64::total_cmp);
    let heap_worst = streams.iter().map(|m| m.heap_growth).max().unwrap_or(0);
    let mut first_bytes: Vec<Duration> = streams.iter().filter_map(|m| m.first_byte).collect();
    first_bytes.sort();
    let bare = median(bares);
    let streamed = median(streams);
    let buffered = broken()?;
    if buffered.bytes != streamed.bytes {
        return Err(crate::Error::scenario(format!(
            "broken sent {:?} bytes, fixed {:?}: the bodies differ",
            buffered.bytes, streamed.bytes
        )));
    }
    // The bare export writes the same bytes into a sink that does not count them.
    let bytes = streamed.bytes.unwrap_or_default();
    let speed = |m: &Measured| measure::mb_per_s(bytes, m.total);
    let mut table = Table::new([
        "variant",
        "first byte",
        "total",
        "MB/s",
        "vs bare",
        "peak heap growth",
        "rows read at first byte",
    ]);
    for m in [&bare, &buffered, &streamed] {
        table.row([
            m.name.to_owned(),
            m.first_byte.map_or("-".to_owned(), measure::ms),
            measure::ms(m.total),
            format!("{:.1}", speed(m)),
            format!("{:.2}x", speed(m) / speed(&bare)),
            if measure::installed() {
                measure::mib(m.heap_growth)
            } else {
                "not measured".to_owned()
            },
            m.rows_at_first_byte
                .map_or("-".to_owned(), |n| format!("{n} of {}", c.rows)),
        ]);
    }
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let (rounds, format) = (c.rounds, c.format);
    let ratio = paired[paired.len() / 2];
    let mut notes = vec![
        format!(
            "table: {} rows, {:.1} MB of {format}; built in {}",
            c.rows,
            bytes as f64 / 1e6,
            measure::ms(c.built)
        ),
        format!(
            "bare and fixed: {rounds} rounds, each the bare export then fixed; the table shows each one's median run; broken: one run"
        ),
        c.bare_is.clone(),
        "HTTP: a loopback server and a client that keeps nothing, on one runtime thread in this process; heap growth counts both".to_owned(),
        format!(
            "fixed / bare throughput, the median of the {rounds} rounds' ratios: {ratio:.2}x (target >= {:.2}x: {}); rounds ranged {:.2}x to {:.2}x",
            c.ratio_target,
            verdict(ratio >= c.ratio_target),
            paired[0],
            paired[paired.len() - 1]
        ),
    ];
    if let (Some(target), Some(&median), Some(&worst)) = (
        c.first_byte_target,
        first_bytes.get(first_bytes.len() / 2),
        first_bytes.last(),
    ) {
        notes.push(format!(
            "fixed's first byte: median {}, worst {} of {rounds} rounds (target < {}: {})",
            measure::ms(median),
            measure::ms(worst),
            measure::ms(target),
            verdict(median < target)
        ));
    }
    if let Some(target) = c.heap_target.filter(|_| measure::installed()) {
        notes.push(format!(
            "fixed's peak heap growth: at most {} in {rounds} rounds (target < {}: {}); broken's: {}",
            measure::mib(heap_worst),
            measure::mib(target),
            verdict(heap_worst < target),
            measure::mib(buffered.heap_growth)
        ));
    }
    Ok((table, notes))
}

/// The run with the median total time.
fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.total);
    runs.swap_remove(runs.len() / 2)
}
