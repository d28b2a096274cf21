//! The lab's own tests: every variant's verdict and snapshot, a write arriving at every
//! moment of the broken purge, and the job run to its end the way the cron runs it.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::check;
use lab_kit::sqlite::TempDb;
use nightly_slowdown::model::{JournalMode, Purged, Rows, Seed};
use nightly_slowdown::property::every_arrival;
use nightly_slowdown::request::Kind;
use nightly_slowdown::{SCENARIO, broken, fixed};
use serde_json::json;

#[test]
fn broken_keeps_each_write_waiting_for_the_rest_of_the_purges_transaction() {
    let report = check!(SCENARIO, "broken");
    // Sent after batch 1 of 6, a page view waits through batches 2 to 6 and the COMMIT.
    assert_eq!(
        report.observations["write_waits"],
        json!({"post_0": 0, "post_1": 6, "post_2": 5, "post_3": 4, "post_4": 3,
               "post_5": 2, "post_6": 1, "post_7": 0})
    );
    // From batch 3 the job's changes no longer fit its page cache: it writes them to the
    // file under the exclusive lock, and reads wait until the COMMIT as well.
    assert_eq!(
        report.observations["read_waits"],
        json!({"get_0": 0, "get_1": 0, "get_2": 0, "get_3": 4, "get_4": 3,
               "get_5": 2, "get_6": 1, "get_7": 0})
    );
    assert_eq!(report.observations["deleted"], 600);
}

#[test]
fn broken_wal_lets_every_read_through_but_the_writes_still_wait() {
    let report = check!(SCENARIO, "broken_wal");
    assert_eq!(report.observations["reads_blocked"], 0);
    assert_eq!(report.observations["writes_blocked"], 6);
    assert_eq!(report.observations["longest_write_wait"], 6);
}

#[test]
fn fixed_lets_every_request_through_between_its_batches() {
    let report = check!(SCENARIO, "fixed");
    assert_eq!(report.observations["writes_blocked"], 0);
    assert_eq!(report.observations["reads_blocked"], 0);
    assert_eq!(report.observations["deleted"], 600);
    assert_eq!(
        report.observations["rows"],
        json!({"expired": 0, "recent": 400, "today": 8})
    );
}

#[test]
fn a_write_waits_for_the_rest_of_the_broken_purge_wherever_it_arrives_in_it() {
    let arrivals = every_arrival(&broken::PURGE, JournalMode::Wal, Kind::Write).expect("runs");
    let waits: Vec<usize> = arrivals.waits.iter().map(|(_, w)| *w).collect();
    // Before BEGIN, after BEGIN (no lock yet), after each of six batches, after COMMIT.
    assert_eq!(waits, [0, 0, 6, 5, 4, 3, 2, 1, 0]);
    insta::assert_yaml_snapshot!("broken_arrivals", arrivals);
}

#[test]
fn the_purge_removes_every_old_event_and_keeps_the_rest_run_either_way() {
    for purge in [broken::PURGE, fixed::PURGE] {
        let db = TempDb::new().expect("a temp dir");
        let conn = db.connect().expect("opens");
        Seed::SMALL.load(&conn, JournalMode::Wal).expect("seed");
        let purged = purge.run(&conn).expect("the job runs");
        assert_eq!(
            purged,
            Purged {
                batches: 6,
                deleted: 600
            }
        );
        let rows = Rows::read(&conn).expect("counts");
        assert_eq!((rows.expired, rows.recent, rows.today), (0, 400, 0));
    }
}
