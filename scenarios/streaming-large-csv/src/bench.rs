//! `lab bench streaming-large-csv [--rows N]`: both variants over loopback HTTP beside an
//! in-process export of the same table to a counting sink, in one run.

use std::io::{self, Write};
use std::sync::Arc;
use std::time::{Duration, Instant};

use lab_kit::measure::{self, PeakWindow};
use lab_kit::sqlite::TempDb;
use lab_kit::{BenchOptions, Table};

use crate::data::{self, SEED};
use crate::{COLUMNS, Export, ExportFn, Progress, SELECT_SQL, broken, fixed, router};

/// The table size unless `--rows` says otherwise (~160 MB of CSV).
const DEFAULT_ROWS: u64 = 2_000_000;
/// Alternating rounds of the in-process export and `fixed`; the median of each is shown,
/// so a burst of load from another process does not decide the ratio.
const ROUNDS: usize = 3;

/// One line of the table.
struct Measured {
    name: &'static str,
    first_byte: Option<Duration>,
    total: Duration,
    bytes: u64,
    heap_growth: usize,
    rows_at_first_byte: Option<u64>,
}

/// Builds the table, then measures the in-process export and `fixed` in alternating
/// rounds, then `broken` once (it needs the most memory), and prints fixed / in-process.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let rows = options.rows.unwrap_or(DEFAULT_ROWS);
    if !(1_000..=20_000_000).contains(&rows) {
        return Err(lab_kit::Error::Invalid(
            "--rows must be 1000..=20000000".into(),
        ));
    }
    let started = Instant::now();
    let db = data::build(rows, SEED)?;
    let built = started.elapsed();

    let mut sinks = Vec::with_capacity(ROUNDS);
    let mut streams = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        sinks.push(in_process(&db)?);
        streams.push(over_http("fixed (HTTP)", fixed::export, &db)?);
    }
    let in_process = median(sinks);
    let streamed = median(streams);
    let buffered = over_http("broken (HTTP)", broken::export, &db)?;

    let mut table = Table::new([
        "variant",
        "first byte",
        "total",
        "MB/s",
        "peak heap growth",
        "rows read at first byte",
    ]);
    for m in [&in_process, &buffered, &streamed] {
        table.row([
            m.name.to_owned(),
            m.first_byte.map_or("-".to_owned(), measure::ms),
            measure::ms(m.total),
            format!("{:.1}", measure::mb_per_s(m.bytes, m.total)),
            if measure::installed() {
                measure::mib(m.heap_growth)
            } else {
                "not measured".to_owned()
            },
            m.rows_at_first_byte
                .map_or("-".to_owned(), |n| format!("{n} of {rows}")),
        ]);
    }
    let ratio = measure::mb_per_s(streamed.bytes, streamed.total)
        / measure::mb_per_s(in_process.bytes, in_process.total);
    let mut notes = vec![
        format!(
            "table: {rows} rows, {:.1} MB of CSV (fixed: {:.1} MB, guarded cells included); built in {}",
            buffered.bytes as f64 / 1e6,
            streamed.bytes as f64 / 1e6,
            measure::ms(built)
        ),
        format!("in-process and fixed: median of {ROUNDS} alternating runs by total time; broken: one run"),
        "in-process: the fixed row loop (cursor, guard, csv crate) into a counting sink, one thread".to_owned(),
        "HTTP: a loopback server on a 2-worker runtime and a client in the same process that keeps nothing; heap growth counts both".to_owned(),
        format!("fixed / in-process throughput: {ratio:.2}x (measured in this run)"),
    ];
    notes.extend(targets(&streamed, ratio));
    Ok((table, notes))
}

/// The run with the median total time.
fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.total);
    runs.swap_remove(runs.len() / 2)
}

/// The targets for `fixed`, each met or missed with the figure.
fn targets(fixed: &Measured, ratio: f64) -> Vec<String> {
    let verdict = |met: bool| if met { "met" } else { "MISSED" };
    let ttfb = fixed.first_byte.unwrap_or(Duration::MAX);
    let growth_mib = fixed.heap_growth as f64 / f64::from(1 << 20);
    vec![
        format!(
            "target fixed >= 0.9x in-process: {ratio:.2}x, {}",
            verdict(ratio >= 0.9)
        ),
        format!(
            "target fixed first byte < 50 ms: {}, {}",
            measure::ms(ttfb),
            verdict(ttfb < Duration::from_millis(50))
        ),
        format!(
            "target fixed heap growth < 16 MiB: {growth_mib:.1} MiB, {}",
            verdict(measure::installed() && growth_mib < 16.0)
        ),
    ]
}

/// The practical limit: the same cursor and CSV writer as `fixed`, into `io::sink`.
fn in_process(db: &TempDb) -> lab_kit::Result<Measured> {
    let window = PeakWindow::start();
    let start = Instant::now();
    let conn = db.connect()?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let mut rows = stmt.query([])?;
    let mut csv = csv::Writer::from_writer(Counted::default());
    let mut scratch = fixed::Scratch::default();
    csv.write_record(COLUMNS).map_err(io::Error::from)?;
    while let Some(row) = rows.next()? {
        fixed::write_row(&mut csv, row, &mut scratch).map_err(io::Error::from)?;
    }
    csv.flush()?;
    let total = start.elapsed();
    Ok(Measured {
        name: "in-process (sink)",
        first_byte: None,
        total,
        bytes: csv.get_ref().0,
        heap_growth: window.growth(),
        rows_at_first_byte: None,
    })
}

/// One download over loopback HTTP, timed from the request to the last byte.
fn over_http(name: &'static str, export: ExportFn, db: &TempDb) -> lab_kit::Result<Measured> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let (progress, _ended) = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let client = lab_kit::http::client();
    let window = PeakWindow::start();
    let (first_byte, total, bytes) = runtime.block_on(async {
        let server = lab_kit::http::serve(router(export, context)).await?;
        let start = Instant::now();
        let mut response = client
            .get(server.url("/export.csv"))
            .send()
            .await
            .map_err(io::Error::other)?;
        let mut first_byte = None;
        let mut bytes = 0_u64;
        while let Some(chunk) = response.chunk().await.map_err(io::Error::other)? {
            first_byte.get_or_insert_with(|| start.elapsed());
            bytes += chunk.len() as u64;
        }
        let total = start.elapsed();
        server.shutdown().await?;
        Ok::<_, lab_kit::Error>((first_byte, total, bytes))
    })?;
    Ok(Measured {
        name,
        first_byte,
        total,
        bytes,
        heap_growth: window.growth(),
        rows_at_first_byte: progress.rows_read_at_first_byte(),
    })
}

/// A sink that counts what it is given.
#[derive(Debug, Default)]
struct Counted(u64);

impl Write for Counted {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.0 += bytes.len() as u64;
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}
