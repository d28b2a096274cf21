//! `lab bench streaming-large-csv [--rows N]`: both variants over loopback HTTP beside a
//! bare rusqlite + csv export of the same table to `io::sink()`, in one run
//! (`lab_kit::stream::bench` alternates the rounds and prints the table).

use std::io;
use std::time::Instant;

use lab_kit::sqlite::TempDb;
use lab_kit::stream::bench::{self, Comparison};
use lab_kit::{BenchOptions, Table};
use rusqlite::{Connection, OpenFlags};

use crate::model::seed::{self, SEED};
use crate::model::{COLUMNS, PATH, SELECT_SQL};
use crate::{broken, fixed};

/// The table size unless `--rows` says otherwise (~160 MB of CSV).
const DEFAULT_ROWS: u64 = 2_000_000;
/// Alternating rounds of the bare export and `fixed`; the median of each is compared, so
/// a burst of load from another process does not decide the ratio.
const ROUNDS: usize = 11;
/// The throughput `fixed` must reach, as a share of the bare export's.
const TARGET: f64 = 0.95;

/// Builds the table, then measures the bare export and `fixed` in alternating rounds,
/// then `broken` once (it needs the most memory), and prints fixed / bare.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let rows = bench::rows(options, DEFAULT_ROWS)?;
    let started = Instant::now();
    let db = seed::build(rows, SEED)?;
    let comparison = Comparison {
        rows,
        format: "CSV",
        built: started.elapsed(),
        rounds: ROUNDS,
        ratio_target: TARGET,
        first_byte_target: None,
        heap_target: None,
        bare_is: "bare: rusqlite cursor + csv crate into io::sink(), one thread, no HTTP (the practical limit)".to_owned(),
    };
    bench::compare(
        &comparison,
        || bench::in_process("bare export (sink)", || bare_export(&db)),
        || bench::over_http("fixed (HTTP)", PATH, fixed::export, &db),
        || bench::over_http("broken (HTTP)", PATH, broken::export, &db),
    )
}

/// The practical limit: what someone writes with rusqlite and the csv crate alone, no lab
/// code - a cursor over the table, the same CSV settings, into `io::sink()`.
fn bare_export(db: &TempDb) -> lab_kit::Result<()> {
    use std::fmt::Write as _;
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
    Ok(())
}
