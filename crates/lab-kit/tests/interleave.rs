//! The interleaving harness on real SQLite locks.

use lab_kit::interleave::{self, HarnessError, SqliteSession};
use lab_kit::sqlite::TempDb;

fn two_writers(db: &TempDb) -> (SqliteSession, SqliteSession) {
    db.connect()
        .unwrap()
        .execute_batch("CREATE TABLE t (who TEXT)")
        .unwrap();
    let s1 = SqliteSession::new("s1", db.connect().unwrap())
        .sql("s1_begin", "BEGIN IMMEDIATE")
        .sql("s1_write", "INSERT INTO t VALUES ('s1')")
        .sql("s1_commit", "COMMIT");
    let s2 = SqliteSession::new("s2", db.connect().unwrap())
        .sql("s2_begin", "BEGIN IMMEDIATE")
        .sql("s2_write", "INSERT INTO t VALUES ('s2')")
        .sql("s2_commit", "COMMIT");
    (s1, s2)
}

#[test]
fn a_blocked_write_waits_then_completes_after_the_commit() {
    let db = TempDb::new().unwrap();
    let (mut s1, mut s2) = two_writers(&db);
    let permutation = [
        "s1_begin",
        "s2_begin",
        "s1_write",
        "s1_commit",
        "s2_write",
        "s2_commit",
    ];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation).unwrap();
    assert_eq!(
        result.transcript.lines(),
        [
            "s1: [s1_begin] BEGIN IMMEDIATE -> ok",
            "s2: [s2_begin] BEGIN IMMEDIATE <waiting: SQLITE_BUSY, database is locked>",
            "s1: [s1_write] INSERT INTO t VALUES ('s1') -> 1 row(s) affected",
            "s1: [s1_commit] COMMIT -> ok",
            "s2: [s2_begin] <... completed> -> ok",
            "s2: [s2_write] INSERT INTO t VALUES ('s2') -> 1 row(s) affected",
            "s2: [s2_commit] COMMIT -> ok",
        ]
    );
    let begin = result.step("s2_begin").unwrap();
    assert!(begin.waited);
    assert_eq!(begin.outcome, Some(Ok("ok".to_owned())));
    // The record of the waiting step moved to where it finished: after s1's commit.
    let order: Vec<&str> = result.steps.iter().map(|r| r.step.as_str()).collect();
    assert_eq!(
        order,
        [
            "s1_begin",
            "s1_write",
            "s1_commit",
            "s2_begin",
            "s2_write",
            "s2_commit"
        ]
    );
    let rows: Vec<String> = s1
        .connection()
        .prepare("SELECT who FROM t ORDER BY rowid")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(rows, ["s1", "s2"]);
}

#[test]
fn a_step_for_a_waiting_session_is_refused() {
    let db = TempDb::new().unwrap();
    let (mut s1, mut s2) = two_writers(&db);
    let err = interleave::run(
        &mut [&mut s1, &mut s2],
        &["s1_begin", "s2_begin", "s2_write"],
    )
    .unwrap_err();
    assert_eq!(
        err,
        HarnessError::SessionBusy {
            step: "s2_write".to_owned(),
            session: "s2".to_owned(),
            waiting: "s2_begin".to_owned(),
        }
    );
}

#[test]
fn a_step_still_blocked_at_the_end_is_reported() {
    let db = TempDb::new().unwrap();
    let (mut s1, mut s2) = two_writers(&db);
    let result = interleave::run(&mut [&mut s1, &mut s2], &["s1_begin", "s2_begin"]).unwrap();
    assert_eq!(result.still_waiting().len(), 1);
    assert_eq!(
        result.transcript.lines().last().unwrap(),
        "s2: [s2_begin] <still waiting when the permutation ended>"
    );
}

#[test]
fn unknown_and_duplicate_steps_are_errors() {
    let db = TempDb::new().unwrap();
    let (mut s1, mut s2) = two_writers(&db);
    let err = interleave::run(&mut [&mut s1, &mut s2], &["s3_nope"]).unwrap_err();
    assert_eq!(err, HarnessError::UnknownStep("s3_nope".to_owned()));

    let mut a = SqliteSession::new("a", db.connect().unwrap()).sql("x", "SELECT 1");
    let mut b = SqliteSession::new("b", db.connect().unwrap()).sql("x", "SELECT 2");
    let err = interleave::run(&mut [&mut a, &mut b], &["x"]).unwrap_err();
    assert_eq!(err, HarnessError::DuplicateStep("x".to_owned()));
}

#[test]
fn application_steps_carry_values_between_steps() {
    let db = TempDb::new().unwrap();
    db.connect()
        .unwrap()
        .execute_batch("CREATE TABLE item (stock INTEGER); INSERT INTO item VALUES (1);")
        .unwrap();
    let seen = std::rc::Rc::new(std::cell::Cell::new(0_i64));
    let (read, write) = (seen.clone(), seen);
    let mut s = SqliteSession::new("s1", db.connect().unwrap())
        .step("read", "SELECT stock FROM item", move |c| {
            read.set(c.query_row("SELECT stock FROM item", [], |r| r.get(0))?);
            Ok(format!("stock={}", read.get()))
        })
        .step("write", "UPDATE item SET stock = ?", move |c| {
            c.execute("UPDATE item SET stock = ?", [write.get() - 1])?;
            Ok(format!("stock={}", write.get() - 1))
        });
    let result = interleave::run(&mut [&mut s], &["read", "write"]).unwrap();
    assert_eq!(
        result.transcript.lines(),
        [
            "s1: [read] SELECT stock FROM item -> stock=1",
            "s1: [write] UPDATE item SET stock = ? -> stock=0"
        ]
    );
}
