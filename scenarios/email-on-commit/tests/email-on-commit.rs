//! Snapshots and verdicts of both variants, every schedule of the broken receiver, and
//! the transaction layer's own rules (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use std::sync::mpsc::{self, Receiver};

use email_on_commit::transaction::{Callback, Db};
use email_on_commit::{SCENARIO, broken, property};
use lab_kit::check;
use serde_json::json;

#[test]
fn broken_mails_bob_whose_sign_up_rolled_back_and_ann_before_her_commit() {
    let report = check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(o["users"], json!(["carol@example.com", "ann@example.com"]));
    assert_eq!(o["mails_to_missing_users"], json!(["bob@example.com"]));
    assert_eq!(
        o["found_nothing_on_delivery"],
        json!(["ann@example.com", "bob@example.com"])
    );
    assert_eq!(
        o["responses"],
        json!({"ann@example.com": 201, "bob@example.com": 409})
    );
}

#[test]
fn fixed_mails_ann_after_her_commit_and_bob_never() {
    let report = check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(o["users"], json!(["carol@example.com", "ann@example.com"]));
    assert_eq!(
        o["messages"],
        json!([{"to": "ann@example.com", "found_on_delivery": true}])
    );
    assert_eq!(o["steps_that_waited"], json!(["s1_sign_up"]));
}

#[test]
fn broken_goes_wrong_whenever_a_sign_up_mails_before_its_commit() {
    let failures = property::every_schedule(broken::welcome).expect("the stories run");
    // ann's mail is delivered before her commit in one order of two; bob's sign-up rolls
    // back after his mail went out in both; dan, saved in autocommit, is fine either way.
    assert_eq!(failures.len(), 3, "{failures:#?}");
    insta::assert_yaml_snapshot!("broken_schedules", failures);
}

/// A connection in autocommit, and a callback factory whose calls arrive on `calls`.
fn db_and_callbacks() -> (
    Db,
    impl Fn(&'static str) -> Callback,
    Receiver<&'static str>,
) {
    let (tx, calls) = mpsc::channel();
    let callback = move |name: &'static str| -> Callback {
        let tx = tx.clone();
        Box::new(move || tx.send(name).expect("the test listens"))
    };
    let db = Db::new(lab_kit::sqlite::memory().expect("an in-memory database"));
    (db, callback, calls)
}

fn refused() -> rusqlite::Error {
    rusqlite::Error::InvalidQuery
}

#[test]
fn callbacks_wait_for_the_outermost_commit_then_run_in_order() {
    let (mut db, callback, calls) = db_and_callbacks();
    db.atomic(|db| {
        db.on_commit(callback("outer"));
        db.atomic(|db| {
            db.on_commit(callback("inner"));
            Ok::<_, rusqlite::Error>(())
        })?;
        assert!(calls.try_recv().is_err(), "nothing runs before the commit");
        Ok::<_, rusqlite::Error>(())
    })
    .expect("commits");
    assert_eq!(calls.try_iter().collect::<Vec<_>>(), ["outer", "inner"]);
}

#[test]
fn a_block_that_rolls_back_drops_its_own_callbacks_only() {
    let (mut db, callback, calls) = db_and_callbacks();
    db.atomic(|db| {
        db.atomic(|db| {
            db.on_commit(callback("released savepoint"));
            Ok::<_, rusqlite::Error>(())
        })?;
        let failed = db.atomic(|db| {
            db.on_commit(callback("rolled back savepoint"));
            Err::<(), _>(refused())
        });
        assert!(failed.is_err());
        db.on_commit(callback("outer"));
        Ok::<_, rusqlite::Error>(())
    })
    .expect("commits");
    assert_eq!(
        calls.try_iter().collect::<Vec<_>>(),
        ["released savepoint", "outer"]
    );
    let rolled_back = db.atomic(|db| {
        db.on_commit(callback("never"));
        Err::<(), _>(refused())
    });
    assert!(rolled_back.is_err());
    assert!(
        calls.try_recv().is_err(),
        "a rolled back transaction runs nothing"
    );
}

#[test]
fn in_autocommit_a_callback_runs_at_once() {
    let (mut db, callback, calls) = db_and_callbacks();
    assert!(!db.in_atomic_block());
    db.on_commit(callback("now"));
    assert_eq!(calls.try_recv(), Ok("now"));
}

#[test]
fn a_test_that_never_commits_runs_no_callback_unless_it_captures_them() {
    let (mut db, callback, calls) = db_and_callbacks();
    db.never_committing(|db| {
        db.atomic(|db| {
            db.on_commit(callback("plain test"));
            Ok::<_, rusqlite::Error>(())
        })
    })
    .expect("rolls back")
    .expect("the block commits into the test's transaction");
    assert!(
        calls.try_recv().is_err(),
        "the test's transaction never commits"
    );
    let ((), captured) = db
        .never_committing(|db| {
            db.capture_on_commit_callbacks(true, |db| {
                db.on_commit(callback("captured"));
            })
        })
        .expect("rolls back");
    assert_eq!(captured, 1);
    assert_eq!(calls.try_iter().collect::<Vec<_>>(), ["captured"]);
}
