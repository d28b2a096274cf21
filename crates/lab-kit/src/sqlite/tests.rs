//! The SQLite helpers' own tests.

use super::*;

#[test]
fn statement_log_sees_what_the_database_ran() {
    let mut conn = memory().unwrap();
    let log = StatementLog::attach(&mut conn).unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);")
        .unwrap();
    let n: i64 = conn
        .query_row("SELECT count(*)\n  FROM t", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 1);
    assert_eq!(
        log.take(),
        [
            "CREATE TABLE t (x INTEGER);",
            "INSERT INTO t VALUES (1);",
            "SELECT count(*) FROM t"
        ]
    );
    assert_eq!(log.count(), 0);
}

#[test]
fn an_expanded_log_shows_the_bound_values() {
    let mut conn = memory().unwrap();
    conn.execute_batch("CREATE TABLE t (id, x)").unwrap();
    let log = StatementLog::attach_expanded(&mut conn).unwrap();
    conn.execute("INSERT INTO t (id, x) VALUES (?1, ?2)", (7, "it's"))
        .unwrap();
    assert_eq!(log.take(), ["INSERT INTO t (id, x) VALUES (7, 'it''s')"]);
}

#[test]
fn described_results_name_their_columns() {
    let conn = memory().unwrap();
    conn.execute_batch("CREATE TABLE t (x INTEGER, y TEXT)")
        .unwrap();
    assert_eq!(
        run_and_describe(&conn, "INSERT INTO t VALUES (1, 'a'), (2, NULL)").unwrap(),
        "2 row(s) affected"
    );
    assert_eq!(
        run_and_describe(&conn, "SELECT x, y FROM t ORDER BY x").unwrap(),
        "x=1, y='a'; x=2, y=NULL"
    );
    assert_eq!(
        run_and_describe(&conn, "SELECT x FROM t WHERE x > 5").unwrap(),
        "(no rows)"
    );
}

#[test]
fn a_second_session_meets_busy_not_a_wait() {
    let db = TempDb::new().unwrap();
    let a = db.connect().unwrap();
    let b = db.connect().unwrap();
    a.execute_batch("CREATE TABLE t (x); BEGIN IMMEDIATE;")
        .unwrap();
    let err = b.execute_batch("BEGIN IMMEDIATE").unwrap_err();
    assert!(is_busy(&err), "{err}");
}
