//! `lab bench streaming-large-csv [--rows N]`: both variants over loopback HTTP beside a
//! bare rusqlite + csv export of the same table to `io::sink()`, in one run.

use std::io;
use std::sync::Arc;
use std::time::{Duration, Instant};

use lab_kit::measure::{self, PeakWindow};
use lab_kit::sqlite::TempDb;
use lab_kit::{BenchOptions, Table};
use rusqlite::{Connection, OpenFlags};

use crate::app::router;
use crate::model::seed::{self, SEED};
use crate::model::{COLUMNS, Export, ExportFn, Progress, SELECT_SQL};
use crate::{broken, fixed};

/// The table size unless `--rows` says otherwise (~160 MB of CSV).
const DEFAULT_ROWS: u64 = 2_000_000;
/// Alternating rounds of the bare export and `fixed`; the median of each is compared, so
/// a burst of load from another process does not decide the ratio.
const ROUNDS: usize = 11;
/// The throughput `fixed` must reach, as a share of the bare export's.
const TARGET: f64 = 0.95;

/// One line of the table.
#[derive(Debug)]
struct Measured {
    name: &'static str,
    first_byte: Option<Duration>,
    total: Duration,
    /// Body bytes received (`None` for the bare export, which writes to `io::sink()`).
    bytes: Option<u64>,
    heap_growth: usize,
    rows_at_first_byte: Option<u64>,
}

/// Builds the table, then measures the bare export and `fixed` in alternating rounds,
/// then `broken` once (it needs the most memory), and prints fixed / bare.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let rows = options.rows.unwrap_or(DEFAULT_ROWS);
    if !(1_000..=20_000_000).contains(&rows) {
        return Err(lab_kit::Error::Invalid(
            "--rows must be 1000..=20000000".into(),
        ));
    }
    let started = Instant::now();
    let db = seed::build(rows, SEED)?;
    let built = started.elapsed();

    let mut bares = Vec::with_capacity(ROUNDS);
    let mut streams = Vec::with_capacity(ROUNDS);
    for _ in 0..ROUNDS {
        bares.push(bare_export(&db)?);
        streams.push(over_http("fixed (HTTP)", fixed::export, &db)?);
    }
    // Each round runs the two back to back, so the median of the rounds' ratios is the
    // figure that other processes' load moves least (a burst slows one round, not the
    // median); the spread says how noisy the machine was.
    let mut paired: Vec<f64> = bares
        .iter()
        .zip(&streams)
        .map(|(b, f)| b.total.as_secs_f64() / f.total.as_secs_f64())
        .collect();
    paired.sort_by(f64::total_cmp);
    let bare = median(bares);
    let streamed = median(streams);
    let buffered = over_http("broken (HTTP)", broken::export, &db)?;
    // The tests show both bodies are the table's CSV byte for byte; the bare export writes
    // the same bytes (same csv settings) into a sink that does not count them.
    let bytes = streamed.bytes.unwrap_or_default();
    if buffered.bytes != streamed.bytes {
        return Err(lab_kit::Error::scenario(format!(
            "broken sent {:?} bytes, fixed {:?}: the bodies differ",
            buffered.bytes, streamed.bytes
        )));
    }
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
                .map_or("-".to_owned(), |n| format!("{n} of {rows}")),
        ]);
    }
    let ratio = paired[paired.len() / 2];
    let verdict = if ratio >= TARGET { "met" } else { "MISSED" };
    let notes = vec![
        format!(
            "table: {rows} rows, {:.1} MB of CSV; built in {}",
            bytes as f64 / 1e6,
            measure::ms(built)
        ),
        format!(
            "bare and fixed: {ROUNDS} rounds, each the bare export then fixed; the table shows each one's median run; broken: one run"
        ),
        "bare: rusqlite cursor + csv crate into io::sink(), one thread, no HTTP (the practical limit)".to_owned(),
        "HTTP: a loopback server and a client that keeps nothing, on one runtime thread in this process; heap growth counts both".to_owned(),
        format!(
            "fixed / bare throughput, the median of the {ROUNDS} rounds' ratios: {ratio:.2}x (target >= {TARGET:.2}x: {verdict}); rounds ranged {:.2}x to {:.2}x",
            paired[0],
            paired[paired.len() - 1]
        ),
    ];
    Ok((table, notes))
}

/// The run with the median total time.
fn median(mut runs: Vec<Measured>) -> Measured {
    runs.sort_by_key(|m| m.total);
    runs.swap_remove(runs.len() / 2)
}

/// The practical limit: what someone writes with rusqlite and the csv crate alone, no lab
/// code - a cursor over the table, the same CSV settings, into `io::sink()`.
fn bare_export(db: &TempDb) -> lab_kit::Result<Measured> {
    use std::fmt::Write as _;
    let window = PeakWindow::start();
    let start = Instant::now();
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(db.path(), flags)?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let mut rows = stmt.query([])?;
    let mut csv = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(io::sink());
    csv.write_record(COLUMNS).map_err(io::Error::from)?;
    let (mut id, mut amount) = (String::new(), String::new());
    while let Some(row) = rows.next()? {
        let cents: i64 = row.get(3)?;
        id.clear();
        amount.clear();
        write!(id, "{}", row.get::<_, i64>(0)?).expect("a String takes any text");
        let sign = if cents < 0 { "-" } else { "" };
        let abs = cents.unsigned_abs();
        write!(amount, "{sign}{}.{:02}", abs / 100, abs % 100).expect("a String takes any text");
        let text = |i| row.get_ref(i).and_then(|v| Ok(v.as_str()?));
        csv.write_record([id.as_str(), text(1)?, text(2)?, &amount, text(4)?])
            .map_err(io::Error::from)?;
    }
    csv.flush()?;
    Ok(Measured {
        name: "bare export (sink)",
        first_byte: None,
        total: start.elapsed(),
        bytes: None,
        heap_growth: window.growth(),
        rows_at_first_byte: None,
    })
}

/// One download over loopback HTTP, timed from the request to the last byte. The server
/// and the client share one current-thread runtime, so the export's reader thread has the
/// other core to itself: more runtime threads than cores only take turns with it.
fn over_http(name: &'static str, export: ExportFn, db: &TempDb) -> lab_kit::Result<Measured> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let client = lab_kit::http::client();
    let window = PeakWindow::start();
    let (first_byte, total, bytes) = lab_kit::http::block_on(async {
        let server = lab_kit::http::serve(router(export, context)).await?;
        let start = Instant::now();
        let mut response = client.get(server.url("/export.csv")).send().await?;
        let mut first_byte = None;
        let mut bytes = 0_u64;
        while let Some(chunk) = response.chunk().await? {
            first_byte.get_or_insert_with(|| start.elapsed());
            bytes += chunk.len() as u64;
        }
        let total = start.elapsed();
        server.shutdown().await?;
        Ok::<_, lab_kit::Error>((first_byte, total, bytes))
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
