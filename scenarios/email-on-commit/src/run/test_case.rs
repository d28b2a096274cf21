//! The test trap: ann's sign-up inside a test that never commits, as Django's `TestCase`
//! runs every test - first as a plain test counts mails, then with the callbacks captured
//! and run, as `captureOnCommitCallbacks(execute=True)` does.

use lab_kit::Transcript;
use lab_kit::interleave::Gates;
use serde::Serialize;

use super::world::World;
use crate::model::{ANN, Welcome, sign_up};

/// What the two tests saw.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct TestCase {
    /// Messages the provider got while a plain test ran the sign-up.
    pub mails_in_the_test: usize,
    /// Callbacks waiting for a commit that the capturing test found.
    pub callbacks_captured: usize,
    /// Messages the provider got in the capturing test, its callbacks run.
    pub mails_with_callbacks_run: usize,
}

/// Runs both tests on a fresh world whose provider answers at once (no order to decide).
pub fn in_a_test_case(welcome: Welcome) -> lab_kit::Result<(TestCase, Transcript)> {
    let world = World::new(Gates::open())?;
    let mailer = world.mailer();
    let (mut db, _log) = world.app_db()?;
    let mails = || world.inbox.messages().len();
    let mails_in_the_test = db.never_committing(|db| {
        let _signed_up = sign_up(db, &mailer, welcome, &ANN);
        mails()
    })?;
    let (callbacks_captured, mails_with_callbacks_run) = db.never_committing(|db| {
        let before = mails();
        let (_signed_up, captured) =
            db.capture_on_commit_callbacks(true, |db| sign_up(db, &mailer, welcome, &ANN));
        (captured, mails() - before)
    })?;
    let seen = TestCase {
        mails_in_the_test,
        callbacks_captured,
        mails_with_callbacks_run,
    };
    let mut t = Transcript::new();
    t.push(
        "test",
        format!(
            "TestCase (a transaction that never commits): sign_up(ann) -> the provider got {mails_in_the_test} message(s)"
        ),
    );
    t.push(
        "test",
        format!(
            "with captureOnCommitCallbacks(execute=True): sign_up(ann) -> {callbacks_captured} callback(s) captured and run, the provider got {mails_with_callbacks_run} message(s)"
        ),
    );
    Ok((seen, t))
}
