//! The checks a view is graded by, without a network (the view called as the app calls
//! it, its body read as hyper would), plus one with a real client that leaves: each
//! returns why it failed.

use std::sync::Arc;

use axum::body::BodyDataStream;
use futures_util::StreamExt;

use super::{Export, Progress, ReaderEnd, ViewFn, app, reader_end};
use crate::measure::{self, PeakWindow};
use crate::sqlite::{TempDb, is_busy};

/// The body of `view` over `db` (a table of `rows` rows) is `expected` byte for byte,
/// the reader read every row, and the first body byte left before the last row was
/// read. Returns the body.
pub fn sends_exactly(
    view: ViewFn,
    db: &TempDb,
    rows: u64,
    expected: &[u8],
) -> Result<Vec<u8>, String> {
    let (progress, mut body) = respond(view, db)?;
    let sent = crate::http::block_on(async move {
        let mut sent = Vec::new();
        while let Some(frame) = body.next().await {
            sent.extend_from_slice(&frame.map_err(|e| format!("the body broke: {e}"))?);
        }
        Ok::<_, String>(sent)
    })
    .map_err(|e| e.to_string())??;
    if sent != expected {
        return Err(first_difference(&sent, expected));
    }
    let end = reader_end(&progress)?;
    if !end.complete || end.rows_read != rows {
        return Err(format!(
            "the reader ended as {end:?} after a whole download"
        ));
    }
    match progress.rows_read_at_first_byte() {
        Some(n) if n < rows => Ok(sent),
        Some(n) => Err(format!(
            "the first body byte left only after all {n} rows were read"
        )),
        None => Err("no body byte ever left".into()),
    }
}

/// Downloading each of two tables of `rows` rows in turn, with a client that keeps
/// nothing, the peak heap for the larger grows by less than half the extra body bytes.
/// Needs the counting allocator installed, and nothing else allocating in the process
/// meanwhile.
pub fn heap_stays_flat(view: ViewFn, tables: [(u64, &TempDb); 2]) -> Result<(), String> {
    if !measure::installed() {
        return Err("the counting allocator is not installed in this binary".into());
    }
    let mut measured = Vec::new();
    for (rows, db) in tables {
        let window = PeakWindow::start();
        let (progress, mut body) = respond(view, db)?;
        let bytes = crate::http::block_on(async move {
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
    let [(small_rows, small_bytes, small), (rows, large_bytes, large)] = measured[..] else {
        unreachable!("two tables measured")
    };
    if large >= small + large_bytes.saturating_sub(small_bytes) / 2 {
        return Err(format!(
            "the heap grew by {} for {rows} rows ({large_bytes} bytes of body), {} for {small_rows}",
            measure::mib(large),
            measure::mib(small),
        ));
    }
    Ok(())
}

/// A client that takes one chunk of the body and leaves: while it reads, the reader's
/// cursor holds the database (a writer's `BEGIN EXCLUSIVE` is refused); once the body is
/// dropped, the reader stops early and lets the database go. `db` must hold far more
/// rows than fit in a few chunks.
pub fn stops_when_the_body_is_dropped(view: ViewFn, db: &TempDb) -> Result<(), String> {
    let (progress, mut body) = respond(view, db)?;
    let first = crate::http::block_on(async { body.next().await })
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

/// A real reqwest client downloads `path` from the app over loopback, takes three chunks
/// (mid-download a writer's `BEGIN EXCLUSIVE` must be refused), and disconnects. Returns
/// how the reader ended; the caller judges it. The timeout only guards against a hang.
pub fn a_real_client_leaves(path: &str, view: ViewFn, db: &TempDb) -> Result<ReaderEnd, String> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let failed = |e: &dyn std::error::Error| crate::error_chain(e);
    crate::http::block_on(async {
        let server = crate::http::serve(app::router(path, view, context))
            .await
            .map_err(|e| failed(&e))?;
        let client = crate::http::client();
        let mut response = client
            .get(server.url(path))
            .send()
            .await
            .map_err(|e| failed(&e))?;
        for _ in 0..3 {
            match response.chunk().await.map_err(|e| failed(&e))? {
                Some(chunk) if !chunk.is_empty() => {}
                _ => return Err("the body ended within three chunks".to_owned()),
            }
        }
        // Mid-download an open cursor holds SQLite's shared lock: nobody can take the
        // database exclusively.
        let writer = db.connect().map_err(|e| failed(&e))?;
        match writer.execute_batch("BEGIN EXCLUSIVE") {
            Err(error) if is_busy(&error) => {}
            Err(error) => return Err(format!("BEGIN EXCLUSIVE failed: {error}")),
            Ok(()) => return Err("mid-download nobody held the database".to_owned()),
        }
        drop(response);
        let waiting = Arc::clone(&progress);
        let end = tokio::task::spawn_blocking(move || reader_end(&waiting))
            .await
            .map_err(|e| failed(&e))??;
        server.shutdown().await.map_err(|e| failed(&e))?;
        Ok(end)
    })
    .map_err(|e| e.to_string())?
}

/// Calls the view the way the app does (its body observed by the same first-byte
/// wrapper) and checks it answered 200.
pub fn respond(view: ViewFn, db: &TempDb) -> Result<(Arc<Progress>, BodyDataStream), String> {
    let progress = Progress::new();
    let context = Export {
        db: db.path().to_owned(),
        progress: Arc::clone(&progress),
    };
    let response = view(context).map_err(|e| crate::error_chain(&e))?;
    if !response.status().is_success() {
        return Err(format!("the view answered {}", response.status()));
    }
    let response = app::observe_first_byte(response, Arc::clone(&progress));
    Ok((progress, response.into_body().into_data_stream()))
}

/// Where `sent` first differs from `expected`, as the line and a few bytes of each.
pub fn first_difference(sent: &[u8], expected: &[u8]) -> String {
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
        "the body differs from the expected one at byte {at} (line {line}): sent {:?}, expected {:?}",
        around(sent),
        around(expected)
    )
}
