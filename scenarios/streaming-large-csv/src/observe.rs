//! Runs a variant over real loopback HTTP at two table sizes and reports what the client
//! received, when the first byte left, how the reader ended and how far the heap rose.

use std::collections::BTreeMap;
use std::io;
use std::sync::Arc;
use std::time::Duration;

use lab_kit::measure::{self, PeakWindow};
use lab_kit::sqlite::TempDb;
use lab_kit::{Report, Transcript};
use serde_json::{Value, json};

use crate::data::{self, SEED};
use crate::reference::{Checksum, Reference};
use crate::{Export, ExportFn, Progress, ReaderEnd, router};

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
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let (progress, ended) = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let client = lab_kit::http::client();
    let window = PeakWindow::start();
    let (status, framing, body) = runtime.block_on(async {
        let server = lab_kit::http::serve(router(export, context)).await?;
        let mut response = client
            .get(server.url("/export.csv"))
            .send()
            .await
            .map_err(io::Error::other)?;
        let headers = response.headers();
        let framing = match headers.get("content-length") {
            Some(n) => format!("content-length: {}", n.to_str().unwrap_or("?")),
            None => format!(
                "transfer-encoding: {}",
                headers
                    .get("transfer-encoding")
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or("none")
            ),
        };
        let status = response.status().as_u16();
        let mut body = Checksum::default();
        while let Some(chunk) = response.chunk().await.map_err(io::Error::other)? {
            body.update(&chunk);
        }
        drop(response);
        server.shutdown().await?;
        Ok::<_, lab_kit::Error>((status, framing, body))
    })?;
    let end = ended.recv_timeout(END_TIMEOUT).map_err(|_| {
        lab_kit::Error::Invalid("the export never reported how its reader ended".into())
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
/// the extra CSV bytes.
pub fn run_variant(name: &str, export: ExportFn) -> lab_kit::Result<lab_kit::Report> {
    let measured = measure::installed();
    let mut transcript = Transcript::new();
    let mut fetched = Vec::new();
    let mut responses = Vec::new();
    let mut live_cells = Value::Null;
    for rows in SIZES {
        let db = data::build(rows, SEED)?;
        let reference = Reference::compute(rows)?;
        transcript.push(
            "app",
            format!(
                "shop_customer: {rows} generated rows (seed {SEED:#x}), {} formula-looking name/email cells",
                reference.formula_cells
            ),
        );
        transcript.push("client", "GET /export.csv");
        let f = fetch(export, &db, rows)?;
        let first_byte = match f.rows_read_at_first_byte {
            Some(n) if n >= rows => format!("after all {rows} rows were read"),
            Some(_) => "before the last row was read".to_owned(),
            None => "never (empty body)".to_owned(),
        };
        let body_is = reference.describe(&f.body);
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
        transcript.push("server", format!("first body byte left {first_byte}"));
        transcript.push("client", format!("{} text/csv, {}", f.status, f.framing));
        transcript.push(
            "client",
            format!("{} bytes, {}: {body_is}", f.body.bytes, f.body.label()),
        );
        transcript.push(
            "server",
            format!("reader {reader}, then dropped the statement and the connection"),
        );
        transcript.push(
            "lab",
            format!("peak heap growth during the request: {heap}"),
        );
        if f.body == reference.plain {
            live_cells = json!(reference.formula_cells);
        } else if f.body == reference.guarded {
            live_cells = json!(0);
        }
        responses.push(BTreeMap::from([
            ("rows", json!(rows)),
            ("status", json!(f.status)),
            ("framing", json!(f.framing)),
            ("body_bytes", json!(f.body.bytes)),
            ("body_checksum", json!(f.body.label())),
            ("body_is", json!(body_is)),
            ("first_byte_left", json!(first_byte)),
            ("reader", json!(reader)),
            ("peak_heap_growth", json!(heap)),
        ]));
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
        let bars: Vec<Value> = fetched
            .iter()
            .map(|f| {
                json!({
                    "label": format!("{} rows", f.rows),
                    "value": measure::bucket_ceiling_mib(f.heap_growth),
                })
            })
            .collect();
        report = report.observe(
            "chart",
            json!({"title": "peak heap growth (bucket ceiling)", "unit": "MiB", "bars": bars}),
        );
    }
    let report = report
        .observe("responses", responses)
        .observe("first_byte_only_after_last_row", buffered)
        .observe(
            "heap_grows_with_rows",
            if measured {
                json!(grows)
            } else {
                json!("not measured")
            },
        )
        .observe("formula_cells_left_live", live_cells)
        .with_transcript(transcript);
    Ok(report)
}
