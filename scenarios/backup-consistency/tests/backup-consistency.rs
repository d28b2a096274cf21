//! The lab's own tests: every variant's verdict and snapshot, every schedule of the broken
//! backup, its shrunk counterexample, and what SQLite does underneath each fix (the online
//! backup API starting over, a read transaction in rollback-journal mode).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use backup_consistency::model::{Shop, schema};
use backup_consistency::property::{self, MAX_CHANGES};
use backup_consistency::writer::{Change, compile};
use backup_consistency::{SCENARIO, broken, run};
use lab_kit::check;
use lab_kit::sqlite::{TempDb, is_busy};
use proptest::prelude::*;
use rusqlite::backup::{Backup, StepResult};
use serde_json::json;

#[test]
fn broken_backs_up_an_order_whose_customer_is_missing() {
    let report = check!(SCENARIO, "broken");
    assert_eq!(
        report.observations["dangling"],
        json!(["shop_order 5: customer_id 4 is not in shop_customer"])
    );
    // Customers from before the two commits, orders from after them.
    assert_eq!(
        report.observations["backup_rows"],
        json!({"shop_customer": 3, "shop_order": 6})
    );
    assert_eq!(report.observations["equals_commit"], json!(null));
    assert_eq!(report.observations["integrity"], "ok");
}

#[test]
fn fixed_read_transaction_backs_up_the_database_before_both_commits() {
    let report = check!(SCENARIO, "fixed_read_transaction");
    assert_eq!(report.observations["equals_commit"], 0);
    assert_eq!(report.observations["dangling"], json!([]));
}

#[test]
fn fixed_online_backup_backs_up_the_database_before_both_commits() {
    let report = check!(SCENARIO, "fixed_online_backup");
    assert_eq!(report.observations["equals_commit"], 0);
}

#[test]
fn fixed_vacuum_into_backs_up_the_database_before_both_commits() {
    let report = check!(SCENARIO, "fixed_vacuum_into");
    assert_eq!(report.observations["equals_commit"], 0);
}

#[test]
fn broken_fails_whenever_the_sign_up_lands_between_the_two_tables() {
    let schedules = property::every_schedule(&broken::BACKUP, &run::STORY_CHANGES).expect("runs");
    // 15 orderings of four backup steps and two commits; the 3 with dee's sign-up between
    // the customers and the orders break it. Ada's new order alone between them does no
    // harm: the customers did not change, so the backup is the database after it.
    assert_eq!(schedules.runnable, 15);
    assert_eq!(schedules.inconsistent.len(), 3, "{schedules:?}");
    insta::assert_yaml_snapshot!("broken_schedules", schedules);
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let change = prop_oneof![
        Just(Change::SignUp),
        (0..4_usize).prop_map(Change::Order),
        (0..4_usize).prop_map(Change::Close),
    ];
    let writers = proptest::collection::vec((change, 0..=4_usize), 1..=MAX_CHANGES);
    let (writer, reason) = lab_kit::property::minimal_counterexample(&writers, 128, |w| {
        let (changes, gaps): (Vec<Change>, Vec<usize>) = w.iter().copied().unzip();
        property::restores_consistently(&broken::BACKUP, &changes, &gaps)
    })
    .expect("the broken backup fails the property");
    // One transaction, between the two tables, is all it takes.
    assert_eq!(writer.len(), 1, "{writer:?}");
    let (changes, _): (Vec<Change>, Vec<usize>) = writer.iter().copied().unzip();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "writes": compile(&Shop::seed(), &changes),
            "commits_after_backup_step": writer[0].1,
            "failure": reason,
        })
    );
}

/// A shop in WAL mode on a fresh file, and a connection to it.
fn shop() -> (TempDb, rusqlite::Connection) {
    let db = TempDb::new().expect("a temp dir");
    let conn = db.connect().expect("opens");
    conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))
        .expect("WAL");
    conn.execute_batch(&schema("main")).expect("schema");
    Shop::seed().load(&conn).expect("seed");
    (db, conn)
}

#[test]
fn the_online_backup_starts_over_when_another_connection_commits_between_steps() {
    let (db, source) = shop();
    let mut copy = rusqlite::Connection::open(db.path().with_file_name("copy.sqlite3")).unwrap();
    let writer = db.connect().unwrap();
    let writes = compile(&Shop::seed(), &[Change::SignUp]);
    let backup = Backup::new(&source, &mut copy).unwrap();
    assert_eq!(backup.step(1).unwrap(), StepResult::More);
    let left_after_one_page = backup.progress().remaining;
    writer.execute_batch(&writes[0].sql()).unwrap();
    // The commit came from another connection: the next step copies from page 1 again,
    // so after it as many pages are left as after the first step.
    assert_eq!(backup.step(1).unwrap(), StepResult::More);
    assert_eq!(backup.progress().remaining, left_after_one_page);
    while backup.step(1).unwrap() == StepResult::More {}
    drop(backup);
    let mut after = Shop::seed();
    writes[0].apply(&mut after);
    assert_eq!(Shop::read(&copy, "main").unwrap(), after);
}

#[test]
fn in_rollback_journal_mode_a_read_transaction_makes_the_writers_commit_wait() {
    let db = TempDb::new().unwrap();
    let reader = db.connect().unwrap();
    reader.execute_batch(&schema("main")).unwrap();
    Shop::seed().load(&reader).unwrap();
    let writer = db.connect().unwrap();
    reader.execute_batch("BEGIN").unwrap();
    let n: i64 = reader
        .query_row("SELECT count(*) FROM shop_customer", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 3);
    // The reader's shared lock keeps the writer from the exclusive lock its commit needs.
    let write = compile(&Shop::seed(), &[Change::SignUp]).remove(0);
    let err = writer.execute_batch(&write.sql()).unwrap_err();
    assert!(is_busy(&err), "{err}");
    writer.execute_batch("ROLLBACK").unwrap();
    reader.execute_batch("COMMIT").unwrap();
    writer.execute_batch(&write.sql()).unwrap();
}
