//! What every correct export does, as checks over any [`ExportFn`], without a network:
//! it sends the table's exact CSV and starts before the last row is read, its heap stays
//! flat as the table grows, and its reader stops and lets go of the database when the
//! body is dropped. Each returns why it failed.

use std::sync::Arc;
use std::time::Duration;

use axum::body::BodyDataStream;
use futures_util::StreamExt;
use lab_kit::measure::{self, PeakWindow};
use lab_kit::sqlite::{TempDb, is_busy};

use crate::app::observe_first_byte;
use crate::model::seed::{self, Customer, Generator, SEED};
use crate::model::truth;
use crate::model::{Export, ExportFn, Progress, ReaderEnd};

/// Generated rows after a check's own rows: about 1.6 MB of CSV, far more than a
/// correct export gathers before its first byte.
pub const FILLER_ROWS: u64 = 20_000;
/// The table sizes the heap check compares.
pub const HEAP_SIZES: [u64; 2] = [10_000, 100_000];
/// The table whose body is dropped after one chunk: about 8 MB of CSV.
pub const DROPPED_ROWS: u64 = 100_000;
/// Cases per property run: each one builds and exports a table of some 20,000 rows.
pub const CASES: u32 = 16;
/// What the rows in front of the generated table are made of (a proptest regex):
/// separators, quotes, line breaks, tabs and non-ASCII letters.
pub const OWN_TEXT: &str = "[a-zé ,;\"'\n\r\t]{0,6}";
/// A bound on waiting for the reader's end: a guard against a hang, never a verdict.
const END_TIMEOUT: Duration = Duration::from_secs(60);

/// The export of `own` rows (ids 1, 2, ...) followed by [`FILLER_ROWS`] generated ones is
/// byte for byte the table's CSV (`truth::write_expected`), and its first byte leaves the
/// view before the last row is read.
pub fn streams_the_exact_csv(export: ExportFn, own: &[Customer]) -> Result<(), String> {
    let filler = Generator::new(SEED).take(usize::try_from(FILLER_ROWS).expect("fits"));
    let table: Vec<Customer> = own
        .iter()
        .cloned()
        .chain(filler)
        .zip(1..)
        .map(|(customer, id)| Customer { id, ..customer })
        .collect();
    let rows = table.len() as u64;
    let db = seed::database(table.clone()).map_err(|e| lab_kit::error_chain(&e))?;
    let (progress, mut body) = respond(export, &db)?;
    let sent = lab_kit::http::block_on(async move {
        let mut sent = Vec::new();
        while let Some(frame) = body.next().await {
            sent.extend_from_slice(&frame.map_err(|e| format!("the body broke: {e}"))?);
        }
        Ok::<_, String>(sent)
    })
    .map_err(|e| e.to_string())??;
    let expected = truth::write_expected(table, Vec::new()).map_err(|e| e.to_string())?;
    if sent != expected {
        return Err(first_difference(&sent, &expected));
    }
    let end = reader_end(&progress)?;
    if !end.complete || end.rows_read != rows {
        return Err(format!(
            "the reader ended as {end:?} after a whole download"
        ));
    }
    match progress.rows_read_at_first_byte() {
        Some(n) if n < rows => Ok(()),
        Some(n) => Err(format!(
            "the first body byte left only after all {n} rows were read"
        )),
        None => Err("no body byte ever left".into()),
    }
}

/// Customers from generated `(name, email, amount in cents)`, for
/// [`streams_the_exact_csv`] (which numbers them).
pub fn own_rows(rows: Vec<(String, String, i64)>) -> Vec<Customer> {
    rows.into_iter()
        .map(|(name, email, amount_cents)| Customer {
            id: 0,
            name,
            email,
            amount_cents,
            created_at: "2024-02-29T12:00:00Z".to_owned(),
        })
        .collect()
}

/// Downloading [`HEAP_SIZES`] rows in turn, with a client that keeps nothing, the peak
/// heap of the larger grows by less than half the extra CSV bytes. Needs the counting
/// allocator installed, and nothing else allocating in the process meanwhile.
pub fn heap_stays_flat(export: ExportFn) -> Result<(), String> {
    if !measure::installed() {
        return Err("the counting allocator is not installed in this binary".into());
    }
    let mut measured = Vec::new();
    for rows in HEAP_SIZES {
        let db = seed::build(rows, SEED).map_err(|e| lab_kit::error_chain(&e))?;
        let window = PeakWindow::start();
        let (progress, mut body) = respond(export, &db)?;
        let bytes = lab_kit::http::block_on(async move {
            let mut bytes = 0;
            while let Some(frame) = body.next().await {
                bytes += frame.map_err(|e| format!("the body broke: {e}"))?.len();
            }
            Ok::<_, String>(bytes)
        })
        .map_err(|e| e.to_string())??;
        reader_end(&progress)?;
        measured.push((rows, bytes, window.growth()));
    }
    let [(_, small_bytes, small), (rows, large_bytes, large)] = measured[..] else {
        unreachable!("two sizes measured")
    };
    if large >= small + (large_bytes - small_bytes) / 2 {
        return Err(format!(
            "the heap grew by {} for {rows} rows ({large_bytes} bytes of CSV), {} for {}",
            measure::mib(large),
            measure::mib(small),
            HEAP_SIZES[0]
        ));
    }
    Ok(())
}

/// A client that takes one chunk of a [`DROPPED_ROWS`]-row download and leaves: while it
/// reads, the reader's cursor holds the database (a writer's `BEGIN EXCLUSIVE` is
/// refused); once the body is dropped, the reader stops early and lets the database go.
pub fn stops_when_the_body_is_dropped(export: ExportFn) -> Result<(), String> {
    let db = seed::build(DROPPED_ROWS, SEED).map_err(|e| lab_kit::error_chain(&e))?;
    let (progress, mut body) = respond(export, &db)?;
    let first = lab_kit::http::block_on(async { body.next().await })
        .map_err(|e| e.to_string())?
        .ok_or("the body is empty")?
        .map_err(|e| format!("the body broke: {e}"))?;
    if first.is_empty() {
        return Err("the first chunk is empty".into());
    }
    let writer = db.connect().map_err(|e| e.to_string())?;
    match writer.execute_batch("BEGIN EXCLUSIVE; ROLLBACK") {
        Err(error) if is_busy(&error) => {}
        Err(error) => return Err(format!("BEGIN EXCLUSIVE failed: {error}")),
        Ok(()) => {
            return Err(
                "mid-download nobody held the database: the export had read every row before its first byte"
                    .into(),
            );
        }
    }
    drop(body);
    let end = reader_end(&progress)?;
    if end.complete {
        return Err(format!(
            "the reader read all {} rows although the client left after one chunk",
            end.rows_read
        ));
    }
    writer
        .execute_batch("BEGIN EXCLUSIVE; COMMIT")
        .map_err(|e| format!("the reader still holds the database after it ended: {e}"))
}

/// Calls the view the way the app does (its body observed by the same first-byte
/// wrapper) and checks it answered 200.
fn respond(export: ExportFn, db: &TempDb) -> Result<(Arc<Progress>, BodyDataStream), String> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let response = export(context).map_err(|e| lab_kit::error_chain(&e))?;
    if !response.status().is_success() {
        return Err(format!("the view answered {}", response.status()));
    }
    let response = observe_first_byte(response, Arc::clone(&progress));
    Ok((progress, response.into_body().into_data_stream()))
}

fn reader_end(progress: &Progress) -> Result<ReaderEnd, String> {
    progress
        .wait_for_end(END_TIMEOUT)
        .ok_or_else(|| "the reader never reported its end".to_owned())
}

/// Where `sent` first differs from `expected`, as the line and a few bytes of each.
fn first_difference(sent: &[u8], expected: &[u8]) -> String {
    let at = sent
        .iter()
        .zip(expected)
        .position(|(a, b)| a != b)
        .unwrap_or(sent.len().min(expected.len()));
    let line = expected[..at].iter().filter(|&&b| b == b'\n').count() + 1;
    let around = |bytes: &[u8]| {
        let start = at.saturating_sub(16);
        String::from_utf8_lossy(&bytes[start..bytes.len().min(at + 16)]).into_owned()
    };
    format!(
        "the body differs from the table's CSV at byte {at} (line {line}): sent {:?}, expected {:?}",
        around(sent),
        around(expected)
    )
}
