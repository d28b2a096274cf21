//! The handle on SQLite (always) and on PostgreSQL (with a server: `scripts/with-postgres
//! cargo test -p lab-kit --all-features -- --include-ignored`).

use rusqlite::Connection;

use super::*;
use crate::sqlite::TempDb;

fn table() -> Connection {
    let conn = crate::sqlite::memory().unwrap();
    conn.execute_batch("CREATE TABLE t (a INTEGER, b TEXT)")
        .unwrap();
    conn
}

#[test]
fn dollar_parameters_bind_by_number_in_any_order() {
    let mut conn = table();
    let db: &mut dyn Db = &mut conn;
    let sql = "INSERT INTO t (b, a) VALUES ($2, $1), ($2, $1 + 1)";
    assert_eq!(db.execute(sql, &[7.into(), "x".into()]).unwrap(), 2);
    let sum = "SELECT sum(a) FROM t WHERE b = $1";
    assert_eq!(db.query_opt_i64(sum, &["x".into()]).unwrap(), Some(15));
    assert_eq!(db.backend(), Backend::Sqlite);
}

#[test]
fn transaction_statements_change_no_rows_and_no_row_reads_none() {
    let mut conn = table();
    let db: &mut dyn Db = &mut conn;
    assert_eq!(db.execute("INSERT INTO t (a) VALUES (1)", &[]).unwrap(), 1);
    assert_eq!(db.execute("BEGIN", &[]).unwrap(), 0);
    assert_eq!(
        db.execute("UPDATE t SET a = 2 WHERE a = 5", &[]).unwrap(),
        0
    );
    assert_eq!(db.execute("COMMIT", &[]).unwrap(), 0);
    let returning = "UPDATE t SET a = a + 1 WHERE a = $1 RETURNING a";
    assert_eq!(db.query_opt_i64(returning, &[1.into()]).unwrap(), Some(2));
    assert_eq!(db.query_opt_i64(returning, &[1.into()]).unwrap(), None);
}

#[test]
fn a_whole_row_is_read_as_cells_and_no_row_as_none() {
    let mut conn = table();
    let db: &mut dyn Db = &mut conn;
    db.execute("INSERT INTO t (a, b) VALUES (1, 'x'), (2, NULL)", &[])
        .unwrap();
    let sql = "SELECT a, b FROM t WHERE a = $1";
    let row = db.query_opt_row(sql, &[1.into()]).unwrap().unwrap();
    assert_eq!(row, [Cell::Int(1), Cell::Text("x".into())]);
    assert_eq!((row[0].int(), row[1].text()), (Some(1), Some("x")));
    let row = db.query_opt_row(sql, &[2.into()]).unwrap().unwrap();
    assert_eq!(row, [Cell::Int(2), Cell::Null]);
    assert_eq!(db.query_opt_row(sql, &[3.into()]).unwrap(), None);
    assert!(db.query_opt_row("SELECT a FROM t", &[]).is_err());
    assert!(db.query_opt_row("SELECT 1.5", &[]).is_err());
}

#[test]
fn misuse_is_an_error_not_a_guess() {
    let mut conn = table();
    let mut shared = &conn;
    let db: &mut dyn Db = &mut shared;
    let e = db
        .execute("INSERT INTO t (a) VALUES ($1)", &[])
        .unwrap_err();
    assert!(
        matches!(
            e,
            DbError::Sqlite(rusqlite::Error::InvalidParameterCount(0, 1))
        ),
        "{e}"
    );
    let e = db
        .execute("INSERT INTO t (a) VALUES (?1)", &[1.into()])
        .unwrap_err();
    assert!(
        matches!(e, DbError::Sqlite(rusqlite::Error::InvalidParameterName(_))),
        "{e}"
    );
    Db::execute(&mut conn, "INSERT INTO t (a) VALUES (1), (2)", &[]).unwrap();
    let e = Db::query_opt_i64(&mut conn, "SELECT a FROM t", &[]).unwrap_err();
    assert!(!e.is_busy(), "{e}");
}

#[test]
fn a_held_write_lock_is_busy_with_its_source_kept() {
    let db = TempDb::new().unwrap();
    let mut a = db.connect().unwrap();
    let mut b = db.connect().unwrap();
    Db::execute(&mut a, "BEGIN IMMEDIATE", &[]).unwrap();
    let e = Db::execute(&mut b, "BEGIN IMMEDIATE", &[]).unwrap_err();
    assert!(e.is_busy() && !e.is_lock_not_available(), "{e}");
    assert_eq!(e.to_string(), "database is locked");
    assert!(std::error::Error::source(&e).is_some());
    assert!(matches!(crate::Error::from(e), crate::Error::Sqlite(_)));
}

#[test]
fn a_world_runs_steps_written_once_as_a_sqlite_session() {
    let world = World::new(Backend::Sqlite, "CREATE TABLE t (a INTEGER);").unwrap();
    let insert = |name: &str, value: i64| {
        DbStep::new(name, "INSERT", move |db| {
            db.execute("INSERT INTO t (a) VALUES ($1)", &[value.into()])
                .map(|n| format!("{n} row"))
        })
    };
    let s1 = vec![
        DbStep::sql("s1_begin", "BEGIN IMMEDIATE"),
        insert("s1_insert", 1),
        DbStep::sql("s1_commit", "COMMIT"),
    ];
    let mut sessions = vec![
        world.session("s1", s1).unwrap(),
        world.session("s2", vec![insert("s2_insert", 2)]).unwrap(),
    ];
    let permutation = ["s1_begin", "s2_insert", "s1_insert", "s1_commit"];
    let result = run_sessions(&mut sessions, &permutation).unwrap();
    assert_eq!(
        result.transcript.lines(),
        [
            "s1: [s1_begin] BEGIN IMMEDIATE -> ok",
            "s2: [s2_insert] INSERT <waiting: SQLITE_BUSY, database is locked>",
            "s1: [s1_insert] INSERT -> 1 row",
            "s1: [s1_commit] COMMIT -> ok",
            "s2: [s2_insert] <... completed> -> 1 row",
        ]
    );
    drop(sessions);
    let rows = world
        .connect()
        .unwrap()
        .query_opt_i64("SELECT count(*) FROM t", &[]);
    assert_eq!(rows.unwrap(), Some(2));
}

#[test]
fn interleavings_keep_each_sessions_order() {
    let a = ["a1".to_owned(), "a2".to_owned()];
    let b = ["b1".to_owned(), "b2".to_owned()];
    let all = interleavings(&a, &b);
    assert_eq!(all.len(), 6);
    assert_eq!(all[0], ["a1", "a2", "b1", "b2"]);
    assert!(all.iter().all(|s| {
        let at = |x: &str| s.iter().position(|y| y == x).unwrap();
        at("a1") < at("a2") && at("b1") < at("b2")
    }));
}

#[cfg(feature = "postgres")]
mod postgres {
    use super::super::*;

    const COMMAND: &str = "cargo test -p lab-kit --all-features -- --include-ignored";

    #[test]
    #[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --all-features -- --include-ignored"]
    fn the_same_sql_runs_on_a_client_and_a_transaction() {
        crate::postgres::url_for_test(COMMAND);
        let world = World::new(Backend::Postgres, "CREATE TABLE t (a bigint, b text);").unwrap();
        let mut db = world.connect().unwrap();
        assert_eq!(db.backend(), Backend::Postgres);
        let sql = "INSERT INTO t (b, a) VALUES ($2, $1), ($2, $1 + 1)";
        assert_eq!(db.execute(sql, &[7.into(), "x".into()]).unwrap(), 2);
        assert_eq!(db.execute("BEGIN", &[]).unwrap(), 0);
        let returning = "UPDATE t SET a = a + 10 WHERE a = $1 RETURNING a";
        assert_eq!(db.query_opt_i64(returning, &[7.into()]).unwrap(), Some(17));
        assert_eq!(db.execute("ROLLBACK", &[]).unwrap(), 0);
        assert_eq!(db.query_opt_i64(returning, &[99.into()]).unwrap(), None);

        let schema = crate::postgres::TempSchema::new(&crate::postgres::url().unwrap()).unwrap();
        let mut client = schema.connect().unwrap();
        client
            .batch_execute(
                "CREATE TABLE t (a bigint, b text); INSERT INTO t VALUES (7, 'x'), (8, 'x');",
            )
            .unwrap();
        let mut tx = client.transaction().unwrap();
        let sum = "SELECT sum(a)::bigint FROM t WHERE b = $1";
        assert_eq!(
            Db::query_opt_i64(&mut tx, sum, &["x".into()]).unwrap(),
            Some(15)
        );
        let row = "SELECT a, b, a::int4, NULL::text FROM t WHERE a = $1";
        assert_eq!(
            Db::query_opt_row(&mut tx, row, &[7.into()]).unwrap(),
            Some(vec![
                Cell::Int(7),
                Cell::Text("x".into()),
                Cell::Int(7),
                Cell::Null
            ])
        );
        assert!(Db::query_opt_row(&mut tx, "SELECT 1.5::float8", &[]).is_err());
    }

    #[test]
    #[ignore = "needs PostgreSQL: scripts/with-postgres cargo test -p lab-kit --all-features -- --include-ignored"]
    fn nowait_meeting_a_row_lock_is_lock_not_available() {
        crate::postgres::url_for_test(COMMAND);
        let world = World::new(
            Backend::Postgres,
            "CREATE TABLE t (a bigint); INSERT INTO t VALUES (1);",
        )
        .unwrap();
        let (mut a, mut b) = (world.connect().unwrap(), world.connect().unwrap());
        a.execute("BEGIN", &[]).unwrap();
        a.query_opt_i64("SELECT a FROM t FOR UPDATE", &[]).unwrap();
        b.execute("BEGIN", &[]).unwrap();
        let e = b
            .query_opt_i64("SELECT a FROM t FOR UPDATE NOWAIT", &[])
            .unwrap_err();
        assert!(e.is_lock_not_available() && !e.is_busy(), "{e}");
        assert!(e.to_string().contains("(SQLSTATE 55P03)"), "{e}");
        assert!(matches!(crate::Error::from(e), crate::Error::Postgres(_)));
    }
}

#[test]
fn locking_clauses_name_the_words_from_for_on_per_backend() {
    fn read(backend: Backend) -> &'static str {
        match backend {
            Backend::Sqlite => "SELECT a FROM t WHERE b = 'for'",
            Backend::Postgres => "SELECT a FROM t LIMIT 1 FOR UPDATE SKIP LOCKED",
        }
    }
    let clauses = locking_clauses(read);
    assert_eq!(clauses["sqlite"], None);
    assert_eq!(clauses["postgres"], Some("FOR UPDATE SKIP LOCKED"));
}
