//! The fix under a client that walks away, and the CSV property over generated tables.

use std::sync::Arc;
use std::time::Duration;

use lab_kit::sqlite::is_busy;
use proptest::prelude::*;
use streaming_large_csv::data::{self, Customer, SEED};
use streaming_large_csv::{Export, ExportFn, Progress, broken, export_is_faithful, fixed, router};

/// Far more CSV (~16 MB) than the channel, hyper's buffers and a loopback socket whose
/// reader stopped reading can hold, so the reader cannot have finished when the client
/// leaves.
const DISCONNECT_ROWS: u64 = 200_000;

#[test]
fn fixed_stops_reading_and_releases_the_database_when_the_client_disconnects() {
    let db = data::build(DISCONNECT_ROWS, SEED).unwrap();
    let (progress, ended) = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let end = runtime.block_on(async {
        let server = lab_kit::http::serve(router(fixed::export, context))
            .await
            .unwrap();
        let client = lab_kit::http::client();
        let mut response = client.get(server.url("/export.csv")).send().await.unwrap();
        for _ in 0..3 {
            let chunk = response.chunk().await.unwrap().expect("the body goes on");
            assert!(!chunk.is_empty());
        }
        // Mid-download the reader's open cursor holds SQLite's shared lock: nobody can take
        // the database exclusively.
        let writer = db.connect().unwrap();
        let error = writer.execute_batch("BEGIN EXCLUSIVE").unwrap_err();
        assert!(is_busy(&error), "{error}");

        // The client goes away. The timeout only guards against a hang; the reader's own
        // report decides the outcome.
        drop(response);
        let end = tokio::task::spawn_blocking(move || ended.recv_timeout(Duration::from_secs(30)))
            .await
            .unwrap()
            .expect("the reader reports its end after the client left");
        server.shutdown().await.unwrap();
        end
    });
    assert!(!end.complete, "the reader stopped early: {end:?}");
    assert!(
        end.rows_read > 0 && end.rows_read < DISCONNECT_ROWS,
        "{end:?}"
    );
    // The statement and the connection are gone: the database is free for a writer.
    db.connect()
        .unwrap()
        .execute_batch("BEGIN EXCLUSIVE; COMMIT")
        .expect("no reader holds the database any more");
}

#[test]
fn fixed_reads_at_most_a_channel_ahead_of_a_body_that_is_dropped() {
    // No network: the body is taken from the view and dropped after one chunk, so the
    // bound is exact: the chunk taken, the channel's four, one blocked in send, one
    // being written.
    const ROWS: u64 = 100_000;
    let db = data::build(ROWS, SEED).unwrap();
    let (progress, ended) = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap();
    let first = runtime.block_on(async {
        let response = fixed::export(context).unwrap();
        let mut body = response.into_body().into_data_stream();
        let first = futures_util::StreamExt::next(&mut body).await;
        first.expect("a first chunk").unwrap().len()
    });
    let end = ended
        .recv_timeout(Duration::from_secs(30))
        .expect("the reader reports its end once the body is gone");
    assert!(
        first >= fixed::CHUNK_BYTES,
        "chunks of tens of KiB: {first}"
    );
    assert!(!end.complete, "{end:?}");
    // A chunk is at most CHUNK_BYTES plus the csv crate's 8 KiB buffer, and no generated
    // row is shorter than 40 bytes.
    let chunks_ahead = (fixed::CHANNEL_CHUNKS + 3) as u64;
    let rows_per_chunk = (fixed::CHUNK_BYTES as u64 + 8 * 1024) / 40;
    assert!(end.rows_read <= chunks_ahead * rows_per_chunk, "{end:?}");
    assert!(end.rows_read < ROWS, "{end:?}");
}

#[test]
fn the_guard_prefixes_formula_cells_and_leaves_the_rest() {
    for cell in ["=1+2", "+1 555", "-2+3", "@SUM(A1)", "\tx", "\rx"] {
        assert_eq!(fixed::guard(cell), format!("'{cell}"));
    }
    for cell in ["Ada", "", "a=b", "O'Brien", "1-2"] {
        assert_eq!(fixed::guard(cell), cell);
    }
}

/// Free text with everything that makes CSV hard: separators, quotes, line breaks,
/// non-ASCII and formula starts.
const TEXT: &str = "[a-zé ,\"'\n\r\t=+@-]{0,6}";

/// Small tables of such customers.
fn customers() -> impl Strategy<Value = Vec<Customer>> {
    proptest::collection::vec((TEXT, TEXT, -100_000_i64..100_000), 0..6).prop_map(|rows| {
        rows.into_iter()
            .zip(1..)
            .map(|((name, email, amount_cents), id)| Customer {
                id,
                name,
                email,
                amount_cents,
                created_at: "2024-02-29T12:00:00Z".to_owned(),
            })
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_is_faithful_and_safe_for_any_table(table in customers()) {
        prop_assert_eq!(export_is_faithful(fixed::export, &table), Ok(()));
    }
}

/// Runs the property against `export` with a fixed seed and returns the shrunk failing
/// table, if any.
fn minimal_counterexample(export: ExportFn) -> Option<(Vec<Customer>, String)> {
    lab_kit::property::minimal_counterexample(&customers(), 64, |table| {
        export_is_faithful(export, table)
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (table, reason) =
        minimal_counterexample(broken::export).expect("the broken export must fail");
    // One customer whose name or email is a lone formula character is enough.
    assert_eq!(table.len(), 1, "{table:?}");
    assert!(reason.contains("runs as a formula"), "{reason}");
    let rows: Vec<serde_json::Value> = table
        .iter()
        .map(|c| serde_json::json!({"id": c.id, "name": c.name, "email": c.email}))
        .collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({"customers": rows, "failure": reason})
    );
}

#[test]
fn fixed_has_no_counterexample_under_the_same_seed() {
    assert_eq!(minimal_counterexample(fixed::export), None);
}
