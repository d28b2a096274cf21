//! `lab bench streaming-large-json [--rows N]`: both variants over loopback HTTP beside a
//! bare rusqlite + serde_json export of the same table to `io::sink()`, in one run
//! (`lab_kit::stream::bench` alternates the rounds and prints the table).

use std::io::{self, Write as _};
use std::time::{Duration, Instant};

use lab_kit::sqlite::TempDb;
use lab_kit::stream::bench::{self, Comparison};
use lab_kit::{BenchOptions, Table};
use rusqlite::{Connection, OpenFlags};
use serde::ser::{SerializeSeq, Serializer as _};

use crate::model::seed::{self, SEED};
use crate::model::{JsonDumps, PATH, Record, SELECT_SQL};
use crate::{broken, fixed};

/// The table size unless `--rows` says otherwise (~330 MB of JSON).
const DEFAULT_ROWS: u64 = 2_000_000;
/// Alternating rounds of the bare export and `fixed`; the median of each is compared, so
/// a burst of load from another process does not decide the ratio.
const ROUNDS: usize = 11;
/// The throughput `fixed` must reach, as a share of the bare export's.
const TARGET: f64 = 0.9;
/// `fixed`'s first byte must leave sooner than this.
const FIRST_BYTE: Duration = Duration::from_millis(50);
/// `fixed`'s peak heap growth must stay below this, whatever the table's size.
const HEAP: usize = 16 << 20;

/// Builds the table, then measures the bare export and `fixed` in alternating rounds,
/// then `broken` once (it needs the most memory), and prints fixed / bare.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let rows = bench::rows(options, DEFAULT_ROWS)?;
    let started = Instant::now();
    let db = seed::build(rows, SEED)?;
    let comparison = Comparison {
        rows,
        format: "JSON",
        built: started.elapsed(),
        rounds: ROUNDS,
        ratio_target: TARGET,
        first_byte_target: Some(FIRST_BYTE),
        heap_target: Some(HEAP),
        bare_is: "bare: rusqlite cursor + one serde_json sequence (the same formatter) into a 256 KiB BufWriter over io::sink(), one thread, no HTTP (the practical limit)".to_owned(),
    };
    bench::compare(
        &comparison,
        || bench::in_process("bare export (buffer)", || bare_export(&db)),
        || bench::over_http("fixed (HTTP)", PATH, fixed::export, &db),
        || bench::over_http("broken (HTTP)", PATH, broken::export, &db),
    )
}

/// The practical limit: what someone writes with rusqlite and serde_json alone - a cursor
/// over the table and one serialised sequence, with the export's formatter (the same
/// bytes), into a buffer the size of `fixed`'s chunks that is flushed to `io::sink()`.
/// Every byte is copied into memory once, as any real writer does (the csv crate's
/// writer buffers the same way in the CSV benchmark); serialising straight into
/// `io::sink()` would skip even that copy.
fn bare_export(db: &TempDb) -> lab_kit::Result<()> {
    let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
    let conn = Connection::open_with_flags(db.path(), flags)?;
    let mut stmt = conn.prepare(SELECT_SQL)?;
    let mut rows = stmt.query([])?;
    let out = io::BufWriter::with_capacity(256 * 1024, io::sink());
    let mut json = serde_json::Serializer::with_formatter(out, JsonDumps);
    let mut array = json.serialize_seq(None).map_err(io::Error::from)?;
    while let Some(row) = rows.next()? {
        array
            .serialize_element(&Record::from_row(row)?)
            .map_err(io::Error::from)?;
    }
    array.end().map_err(io::Error::from)?;
    json.into_inner().flush()?;
    Ok(())
}
