//! Snapshots and verdicts of both variants (three stories each), every schedule of the
//! broken job, and what each part of the fix is for (the checks that grade a fix are in
//! `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use serde_json::json;
use task_stale_instance::model::Task;
use task_stale_instance::property::{self, every_schedule, orderings};
use task_stale_instance::{SCENARIO, broken, fixed, story};

#[test]
fn broken_job_overwrites_the_edit_with_its_stale_copy() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let before = &report.observations["stories"]["edit_before_the_worker_runs"];
    assert_eq!(before["lost"], json!(["bob's typo fix"]));
    // The copy in the message was ann's v2; the worker wrote it back as a second v3.
    assert_eq!(before["job_messages"][0]["version"], 2);
    let rolled_back = &report.observations["stories"]["request_rolled_back"];
    assert_eq!(rolled_back["article"]["status"], "published");
}

#[test]
fn fixed_job_rereads_the_row_and_keeps_every_edit() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let during = &report.observations["stories"]["edit_while_the_worker_works"];
    assert_eq!(during["lost"], json!([]));
    assert_eq!(during["job_messages"], json!([{"id": 1}]));
    let rolled_back = &report.observations["stories"]["request_rolled_back"];
    assert_eq!(rolled_back["job_messages"], json!([]));
}

#[test]
fn broken_loses_the_edit_whenever_it_lands_after_the_copy_and_before_the_write() {
    let schedules = every_schedule(broken::TYPESET).expect("runs");
    assert_eq!((schedules.runnable, schedules.lost_an_edit.len()), (42, 26));
    // In the order the steps finished (a waiting step finishes late): bob's edit is lost
    // exactly when it committed after ann's save made the copy and before the worker wrote
    // the copy back.
    for schedule in orderings() {
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        let Ok(told) = story::tell(broken::TYPESET, &permutation) else {
            continue;
        };
        if !told.result.still_waiting().is_empty() {
            continue;
        }
        let done = |step: &str| told.result.steps.iter().position(|r| r.step == step);
        let between = done("ann_save") < done("bob_edit") && done("bob_edit") < done("worker_save");
        assert_eq!(told.lost_work(), between, "{schedule:?}");
    }
    insta::assert_yaml_snapshot!("broken_schedules", schedules);
}

#[test]
fn each_part_of_the_fix_closes_its_own_schedules() {
    let tally = |task: Task| {
        let s = every_schedule(task).expect("runs");
        (s.runnable, s.lost_an_edit.len())
    };
    let fixed = fixed::TYPESET;
    // The whole fix: the job exists only after the commit, so fewer orderings can run.
    assert_eq!(tally(fixed), (24, 0));
    // Re-reading the row but writing it back without the version check: an edit that
    // lands between the worker's read and its write is still lost.
    let no_version_check = Task {
        save: broken::TYPESET.save,
        ..fixed
    };
    assert_eq!(tally(no_version_check), (24, 4));
    // Sending the job before the commit: the version check still saves every edit (a
    // worker that read too early writes nothing and reads again), but a publish that rolls
    // back has already sent its job.
    let sent_at_once = Task {
        enqueue: broken::TYPESET.enqueue,
        ..fixed
    };
    assert_eq!(tally(sent_at_once), (42, 0));
    let trace = property::rolled_back_request_leaves_no_trace(sent_at_once);
    assert!(trace.is_err_and(|t| t.contains("received 1 job")));
}
