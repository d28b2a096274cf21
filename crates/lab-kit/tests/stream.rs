//! Measured downloads of a table: the app notes the rows read when the first body byte
//! left, the report's fetch fingerprints what a real client received, and the graded
//! checks tell a view that answers only at the end from one that answers as it reads.

use axum::body::{Body, Bytes};
use axum::response::{IntoResponse, Response};
use futures_util::StreamExt as _;
use lab_kit::sqlite::TempDb;
use lab_kit::stream::check::{first_difference, sends_exactly};
use lab_kit::stream::story::Story;
use lab_kit::stream::{Checksum, Export};

const ROWS: u64 = 10;

fn table(rows: u64, _seed: u64) -> lab_kit::Result<TempDb> {
    let db = TempDb::new()?;
    let conn = db.connect()?;
    conn.execute_batch("CREATE TABLE t (n INTEGER PRIMARY KEY)")?;
    for n in 1..=rows {
        conn.execute(
            "INSERT INTO t (n) VALUES (?1)",
            [i64::try_from(n).expect("a small table")],
        )?;
    }
    Ok(db)
}

fn expected(rows: u64) -> Vec<u8> {
    (1..=rows)
        .map(|n| format!("{n}\n"))
        .collect::<String>()
        .into_bytes()
}

/// Reads every row, then answers with the whole body.
#[expect(
    clippy::needless_pass_by_value,
    reason = "a view takes its request context by value"
)]
fn all_at_once(export: Export) -> lab_kit::Result<Response> {
    let conn = export.connect()?;
    let mut stmt = conn.prepare("SELECT n FROM t ORDER BY n")?;
    let mut body = String::new();
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        export.progress.row_read();
        body.push_str(&format!("{}\n", row.get::<_, i64>(0)?));
    }
    drop(rows);
    drop(stmt);
    drop(conn);
    export.progress.finish(true);
    Ok(body.into_response())
}

/// Counts a row as each line of the body is produced (the rows themselves are known).
fn line_by_line(export: Export) -> lab_kit::Result<Response> {
    let progress = export.progress;
    let lines = futures_util::stream::iter(1..=ROWS).map(move |n| {
        progress.row_read();
        if n == ROWS {
            progress.finish(true);
        }
        Ok::<_, std::io::Error>(Bytes::from(format!("{n}\n")))
    });
    Ok(Body::from_stream(lines).into_response())
}

#[test]
fn a_buffered_view_sends_its_first_byte_after_the_last_row() {
    let db = table(ROWS, 0).unwrap();
    let story = Story {
        path: "/t.txt",
        media_type: "text/plain",
        body_is: "the numbers",
        table: "t",
        seed: 0,
        sizes: [ROWS, ROWS],
        build: table,
        expected: |rows, _| {
            let mut body = Checksum::default();
            body.update(&expected(rows));
            Ok(body)
        },
    };
    let fetched = story.fetch(all_at_once, &db).unwrap();
    assert_eq!(fetched.status, 200);
    assert_eq!(fetched.framing, "content-length: 21");
    assert_eq!(fetched.body, (story.expected)(ROWS, 0).unwrap());
    assert_eq!(fetched.rows_read_at_first_byte, Some(ROWS));
    assert!(fetched.end.complete);

    let failure = sends_exactly(all_at_once, &db, ROWS, &expected(ROWS)).unwrap_err();
    assert_eq!(
        failure,
        "the first body byte left only after all 10 rows were read"
    );
}

#[test]
fn a_view_that_answers_as_it_reads_passes_the_exact_body_check() {
    let db = table(ROWS, 0).unwrap();
    let sent = sends_exactly(line_by_line, &db, ROWS, &expected(ROWS)).unwrap();
    assert_eq!(sent, expected(ROWS));
    let wrong = sends_exactly(line_by_line, &db, ROWS, b"1\n2\n3\n5\n").unwrap_err();
    assert!(wrong.starts_with("the body differs"), "{wrong}");
}

#[test]
fn the_first_difference_names_the_byte_and_the_line() {
    let text = first_difference(b"ab\ncd", b"ab\nce");
    assert_eq!(
        text,
        "the body differs from the expected one at byte 4 (line 2): sent \"ab\\ncd\", expected \"ab\\nce\""
    );
}
