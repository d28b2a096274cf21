//! Runs a variant over real loopback HTTP at two table sizes and reports what the client
//! received, when the first byte left, how the reader ended and how far the heap rose.

use std::sync::Arc;
use std::time::Duration;

use lab_kit::measure::{self, PeakWindow};
use lab_kit::sqlite::TempDb;
use lab_kit::{Chart, Report, Transcript};
use serde_json::json;

use crate::app::router;
use crate::model::seed::{self, SEED};
use crate::model::truth::{self, Checksum};
use crate::model::{Export, ExportFn, Progress, ReaderEnd};

/// The two table sizes the report compares.
pub const SIZES: [u64; 2] = [10_000, 100_000];

/// A bound on waiting for the reader's end: a failure guard, never an ordering device.
const END_TIMEOUT: Duration = Duration::from_secs(60);

/// What one request showed.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub rows: u64,
    pub status: u16,
    /// `content-length: N` or `transfer-encoding: chunked`.
    pub framing: String,
    pub body: Checksum,
    pub rows_read_at_first_byte: Option<u64>,
    pub end: ReaderEnd,
    /// Peak heap growth of the whole request (server and a client that keeps nothing).
    pub heap_growth: usize,
}

/// Serves `export` over `db` on loopback, downloads `/export.csv` once with a client that
/// only fingerprints what arrives, and measures the heap over the whole request.
pub fn fetch(export: ExportFn, db: &TempDb, rows: u64) -> lab_kit::Result<Fetched> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let client = lab_kit::http::client();
    let window = PeakWindow::start();
    let (status, framing, body) = lab_kit::http::block_on(async {
        let server = lab_kit::http::serve(router(export, context)).await?;
        let mut response = client.get(server.url("/export.csv")).send().await?;
        let headers = response.headers();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let framing = match header("content-length") {
            Some(n) => format!("content-length: {n}"),
            None => format!(
                "transfer-encoding: {}",
                header("transfer-encoding").unwrap_or("none")
            ),
        };
        let status = response.status().as_u16();
        let mut body = Checksum::default();
        while let Some(chunk) = response.chunk().await? {
            body.update(&chunk);
        }
        drop(response);
        server.shutdown().await?;
        Ok::<_, lab_kit::Error>((status, framing, body))
    })??;
    let end = progress.wait_for_end(END_TIMEOUT).ok_or_else(|| {
        lab_kit::Error::scenario("the export never reported how its reader ended")
    })?;
    Ok(Fetched {
        rows,
        status,
        framing,
        body,
        rows_read_at_first_byte: progress.rows_read_at_first_byte(),
        end,
        heap_growth: window.growth(),
    })
}

/// Runs `export` at both sizes and judges it: the pitfall shows if the first byte left
/// only after the last row was read, or if the heap grew with the table by at least half
/// the extra CSV bytes. A body that is not the table's CSV is an error, not a verdict.
pub fn run_variant(name: &str, export: ExportFn) -> lab_kit::Result<Report> {
    let measured = measure::installed();
    let mut transcript = Transcript::new();
    let mut fetched = Vec::new();
    let mut responses = Vec::new();
    let mut bodies = Vec::new();
    for rows in SIZES {
        let db = seed::build(rows, SEED)?;
        let expected = truth::expected_checksum(rows, SEED)?;
        transcript.push(
            "app",
            format!("shop_customer: {rows} generated rows (seed {SEED:#x})"),
        );
        transcript.push("client", "GET /export.csv");
        let f = fetch(export, &db, rows)?;
        if f.body != expected {
            return Err(lab_kit::Error::scenario(format!(
                "{name} sent {} bytes ({}), not the CSV of the table ({} bytes, {})",
                f.body.bytes,
                f.body.label(),
                expected.bytes,
                expected.label()
            )));
        }
        let first_byte = match f.rows_read_at_first_byte {
            Some(n) if n >= rows => format!("after all {rows} rows were read"),
            Some(_) => "before the last row was read".to_owned(),
            None => "never (empty body)".to_owned(),
        };
        let reader = if f.end.complete {
            format!("read all {} rows", f.end.rows_read)
        } else {
            format!("stopped early after {} rows", f.end.rows_read)
        };
        let heap = if measured {
            measure::bucket(f.heap_growth)
        } else {
            "not measured (no counting allocator in this binary)".to_owned()
        };
        let body = format!("{} bytes, {}", f.body.bytes, f.body.label());
        transcript.push("server", format!("first body byte left {first_byte}"));
        transcript.push("client", format!("{} text/csv, {}", f.status, f.framing));
        transcript.push(
            "client",
            format!("{body}: the CSV of the table, byte for byte"),
        );
        transcript.push(
            "server",
            format!("reader {reader}, then dropped the statement and the connection"),
        );
        transcript.push(
            "lab",
            format!("peak heap growth during the request: {heap}"),
        );
        bodies.push(body);
        responses.push(json!({
            "rows": rows,
            "status": f.status,
            "framing": f.framing,
            "first_byte_left": first_byte,
            "reader": reader,
            "peak_heap_growth": heap,
        }));
        fetched.push(f);
    }

    let buffered = fetched
        .iter()
        .any(|f| f.rows_read_at_first_byte.is_some_and(|n| n >= f.rows));
    let (small, large) = (&fetched[0], &fetched[1]);
    let extra_csv = usize::try_from(large.body.bytes.saturating_sub(small.body.bytes))
        .expect("a body fits in memory");
    let grows = measured && large.heap_growth >= small.heap_growth + extra_csv / 2;
    let observed = buffered || grows;
    let symptom = if observed {
        format!(
            "the download of {} rows shows nothing until every row is read, and the server's heap grows by {}",
            large.rows,
            measure::bucket(large.heap_growth)
        )
    } else {
        "the download starts while rows are still being read, and the heap stays flat as the table grows".to_owned()
    };
    let mut report = Report::new(name, observed, symptom);
    if measured {
        // For the workshop handout: memory against rows, in the snapshot-stable buckets.
        let chart = fetched.iter().fold(
            Chart::new("peak heap growth (bucket ceiling)", "MiB"),
            |chart, f| {
                let ceiling = u32::try_from(measure::bucket_ceiling_mib(f.heap_growth))
                    .expect("a heap below 4 PiB");
                chart.bar(format!("{} rows", f.rows), ceiling)
            },
        );
        report = report.with_chart(chart);
    }
    Ok(report
        .observe("seed", SEED)
        .observe("responses", responses)
        .observe("bodies", bodies)
        .observe("first_byte_only_after_last_row", buffered)
        .observe(
            "heap_grows_with_rows",
            if measured {
                json!(grows)
            } else {
                json!("not measured")
            },
        )
        .with_transcript(transcript))
}
