//! The interleaving harness on real PostgreSQL row locks. These tests need a server:
//! `scripts/with-postgres cargo test -p lab-kit --features postgres -- --include-ignored`.

use lab_kit::interleave::{self, Monitor, PgSession, Progress, SessionDriver as _};
use lab_kit::postgres::{TempSchema, url_for_test};

const COMMAND: &str = "cargo test -p lab-kit --features postgres -- --include-ignored";

fn schema() -> TempSchema {
    let schema = TempSchema::new(&url_for_test(COMMAND)).expect("the server accepts a schema");
    schema
        .connect()
        .unwrap()
        .batch_execute(
            "CREATE TABLE item (id int PRIMARY KEY, stock int); INSERT INTO item VALUES (1, 1);",
        )
        .unwrap();
    schema
}

fn sessions(schema: &TempSchema) -> (PgSession, PgSession) {
    let monitor = Monitor::new(schema.connect().unwrap());
    let s1 = PgSession::new("s1", schema.connect().unwrap(), &monitor)
        .unwrap()
        .sql("s1_begin", "BEGIN")
        .sql("s1_lock", "SELECT stock FROM item WHERE id = 1 FOR UPDATE")
        .sql("s1_write", "UPDATE item SET stock = stock - 1 WHERE id = 1")
        .sql("s1_commit", "COMMIT");
    let s2 = PgSession::new("s2", schema.connect().unwrap(), &monitor)
        .unwrap()
        .sql("s2_begin", "BEGIN")
        .sql("s2_lock", "SELECT stock FROM item WHERE id = 1 FOR UPDATE")
        .sql(
            "s2_nowait",
            "SELECT stock FROM item WHERE id = 1 FOR UPDATE NOWAIT",
        )
        .sql("s2_commit", "COMMIT");
    (s1, s2)
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --features postgres -- --include-ignored"]
fn a_row_lock_makes_the_second_session_wait_until_the_commit() {
    let schema = schema();
    let (mut s1, mut s2) = sessions(&schema);
    let permutation = [
        "s1_begin",
        "s1_lock",
        "s2_begin",
        "s2_lock",
        "s1_write",
        "s1_commit",
        "s2_commit",
    ];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation).unwrap();
    assert_eq!(
        result.transcript.lines(),
        [
            "s1: [s1_begin] BEGIN -> ok",
            "s1: [s1_lock] SELECT stock FROM item WHERE id = 1 FOR UPDATE -> stock=1",
            "s2: [s2_begin] BEGIN -> ok",
            "s2: [s2_lock] SELECT stock FROM item WHERE id = 1 FOR UPDATE <waiting: blocked by s1 (pg_blocking_pids)>",
            "s1: [s1_write] UPDATE item SET stock = stock - 1 WHERE id = 1 -> 1 row(s) affected",
            "s1: [s1_commit] COMMIT -> ok",
            "s2: [s2_lock] <... completed> -> stock=0",
            "s2: [s2_commit] COMMIT -> ok",
        ]
    );
    assert!(result.step("s2_lock").unwrap().waited);
    assert!(result.still_waiting().is_empty());
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --features postgres -- --include-ignored"]
fn nowait_answers_with_the_lock_error_instead_of_waiting() {
    let schema = schema();
    let (mut s1, mut s2) = sessions(&schema);
    let permutation = ["s1_begin", "s1_lock", "s2_begin", "s2_nowait", "s1_commit"];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation).unwrap();
    assert_eq!(
        result.transcript.lines()[3],
        "s2: [s2_nowait] SELECT stock FROM item WHERE id = 1 FOR UPDATE NOWAIT -> ERROR: could not obtain lock on row in relation \"item\" (SQLSTATE 55P03)"
    );
    assert!(!result.step("s2_nowait").unwrap().waited);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --features postgres -- --include-ignored"]
fn a_step_still_blocked_at_the_end_is_reported_and_cancelled_on_drop() {
    let schema = schema();
    let (mut s1, mut s2) = sessions(&schema);
    let result = interleave::run(
        &mut [&mut s1, &mut s2],
        &["s1_begin", "s1_lock", "s2_begin", "s2_lock"],
    )
    .unwrap();
    assert_eq!(result.still_waiting().len(), 1);
    assert_eq!(
        result.transcript.lines().last().unwrap(),
        "s2: [s2_lock] <still waiting when the permutation ended>"
    );
    // Dropping the waiting session cancels its statement instead of hanging.
    drop(s2);
    drop(s1);
}

#[test]
#[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --features postgres -- --include-ignored"]
fn a_session_that_is_not_blocked_is_never_reported_waiting() {
    let schema = schema();
    let (s1, _s2) = sessions(&schema);
    // pg_sleep is not a lock: the driver waits for the answer instead of calling it
    // waiting, however long the statement takes.
    let mut slow = s1.step("slow", "SELECT pg_sleep(0.2)", |c| {
        c.simple_query("SELECT pg_sleep(0.2)")?;
        Ok("slept".to_owned())
    });
    assert_eq!(slow.start("slow"), Progress::Done(Ok("slept".to_owned())));
}
