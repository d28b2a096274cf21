//! A view's report: the view served on loopback, downloaded at two table sizes by a
//! client that only fingerprints what arrives, each body compared with the expected one,
//! and the verdict from when the first byte left and how far the heap rose.

use std::io;
use std::sync::Arc;

use serde_json::json;

use super::{Checksum, Export, Progress, ReaderEnd, ViewFn, app};
use crate::measure::{self, PeakWindow};
use crate::sqlite::TempDb;
use crate::{Chart, Report, Transcript};

/// What a scenario's export is: its route, its table and how to build it, and its
/// expected body, computed apart from any view.
#[derive(Debug, Clone, Copy)]
pub struct Story {
    /// The route the client downloads: `/export.csv`.
    pub path: &'static str,
    /// The media type as the transcript names it: `text/csv`.
    pub media_type: &'static str,
    /// What a correct body is, for the transcript: `the CSV of the table`.
    pub body_is: &'static str,
    /// The table's name, for the transcript.
    pub table: &'static str,
    /// The seed of the generated rows.
    pub seed: u64,
    /// The two table sizes the report compares, smaller first.
    pub sizes: [u64; 2],
    /// A database file holding `rows` rows generated from `seed`.
    pub build: fn(rows: u64, seed: u64) -> crate::Result<TempDb>,
    /// The fingerprint of the body every correct view sends for that table.
    pub expected: fn(rows: u64, seed: u64) -> io::Result<Checksum>,
}

/// What one download showed.
#[derive(Debug, Clone)]
pub struct Fetched {
    pub status: u16,
    /// `content-length: N` or `transfer-encoding: chunked`.
    pub framing: String,
    pub body: Checksum,
    pub rows_read_at_first_byte: Option<u64>,
    pub end: ReaderEnd,
    /// Peak heap growth of the whole request (server and a client that keeps nothing).
    pub heap_growth: usize,
}

impl Story {
    /// Serves `view` over `db` on loopback, downloads [`Story::path`] once with a client
    /// that only fingerprints what arrives, and measures the heap over the whole request.
    pub fn fetch(&self, view: ViewFn, db: &TempDb) -> crate::Result<Fetched> {
        let progress = Progress::new();
        let context = Export {
            db: db.path().to_owned(),
            progress: Arc::clone(&progress),
        };
        let client = crate::http::client();
        let window = PeakWindow::start();
        let (status, framing, body) = crate::http::block_on(async {
            let server = crate::http::serve(app::router(self.path, view, context)).await?;
            let mut response = client.get(server.url(self.path)).send().await?;
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
            Ok::<_, crate::Error>((status, framing, body))
        })??;
        let end = super::reader_end(&progress).map_err(crate::Error::scenario)?;
        Ok(Fetched {
            status,
            framing,
            body,
            rows_read_at_first_byte: progress.rows_read_at_first_byte(),
            end,
            heap_growth: window.growth(),
        })
    }

    /// Runs `view` at both sizes and judges it: the pitfall shows if the first byte left
    /// only after the last row was read, or if the heap grew with the table by at least
    /// half the extra body bytes. A body that is not the expected one is an error, not a
    /// verdict.
    pub fn run(&self, name: &str, view: ViewFn) -> crate::Result<Report> {
        let measured = measure::installed();
        let mut transcript = Transcript::new();
        let mut fetched = Vec::new();
        let (mut responses, mut bodies) = (Vec::new(), Vec::new());
        for rows in self.sizes {
            let db = (self.build)(rows, self.seed)?;
            let expected = (self.expected)(rows, self.seed)?;
            let (table, seed) = (self.table, self.seed);
            transcript.push(
                "app",
                format!("{table}: {rows} generated rows (seed {seed:#x})"),
            );
            transcript.push("client", format!("GET {}", self.path));
            let f = self.fetch(view, &db)?;
            if f.body != expected {
                return Err(crate::Error::scenario(format!(
                    "{name} sent {} bytes ({}), not {} ({} bytes, {})",
                    f.body.bytes,
                    f.body.label(),
                    self.body_is,
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
            let media_type = self.media_type;
            transcript.push(
                "client",
                format!("{} {media_type}, {}", f.status, f.framing),
            );
            transcript.push("client", format!("{body}: {}, byte for byte", self.body_is));
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
            fetched.push((rows, f));
        }

        let buffered = fetched
            .iter()
            .any(|(rows, f)| f.rows_read_at_first_byte.is_some_and(|n| n >= *rows));
        let ((_, small), (large_rows, large)) = (&fetched[0], &fetched[1]);
        let extra = usize::try_from(large.body.bytes.saturating_sub(small.body.bytes))
            .expect("a body fits in memory");
        let grows = measured && large.heap_growth >= small.heap_growth + extra / 2;
        let observed = buffered || grows;
        let symptom = if observed {
            format!(
                "the download of {large_rows} rows shows nothing until every row is read, and the server's heap grows by {}",
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
                |chart, (rows, f)| {
                    let ceiling = u32::try_from(measure::bucket_ceiling_mib(f.heap_growth))
                        .expect("a heap below 4 PiB");
                    chart.bar(format!("{rows} rows"), ceiling)
                },
            );
            report = report.with_chart(chart);
        }
        let grows = if measured {
            json!(grows)
        } else {
            json!("not measured")
        };
        Ok(report
            .observe("seed", self.seed)
            .observe("responses", responses)
            .observe("bodies", bodies)
            .observe("first_byte_only_after_last_row", buffered)
            .observe("heap_grows_with_rows", grows)
            .with_transcript(transcript))
    }
}
