//! A variant's report: the three stories (bob's edit before the job starts, bob's edit
//! while the job works, a publish that rolls back), each judged against the truth computed
//! from the edits that committed, and the tally of every schedule.

use lab_kit::{Chart, Report, Transcript};
use serde_json::{Value, json};

use crate::model::{Article, Task};
use crate::property::every_schedule;
use crate::story::{self, Told};

/// The stories every variant tells, by name.
pub const STORIES: [(&str, &[&str]); 3] = [
    (
        "edit_before_the_worker_runs",
        story::EDIT_BEFORE_THE_WORKER_RUNS,
    ),
    (
        "edit_while_the_worker_works",
        story::EDIT_WHILE_THE_WORKER_WORKS,
    ),
    ("request_rolled_back", story::REQUEST_ROLLED_BACK),
];

/// Runs `task` through the stories and every schedule, and reports.
pub fn run(task: Task) -> lab_kit::Result<Report> {
    let mut transcript = Transcript::new();
    let mut stories = serde_json::Map::new();
    let mut failed = Vec::new();
    for (name, permutation) in STORIES {
        let told = story::tell(task, permutation)?;
        transcript.push("story", format!("{name}: {}", permutation.join(", ")));
        transcript.extend(told.transcript().clone());
        let lost = told.lost();
        transcript.push("truth", verdict_line(&told, &lost));
        if told.lost_work() || !lost.is_empty() {
            failed.push((name, lost.join(", ")));
        }
        stories.insert(name.to_owned(), facts(&told, permutation, &lost));
    }
    let schedules = every_schedule(task)?;
    let (k, n) = (schedules.lost_an_edit.len(), schedules.runnable);
    let symptom = match failed.first() {
        Some((name, what)) => format!(
            "the typesetting job saved the stale copy of the article it was sent and lost \
             {what} ({}); committed work was lost in {k} of {n} schedules",
            name.replace('_', " ")
        ),
        None => format!(
            "every edit survived the typesetting job, in all three stories and in all {n} \
             schedules"
        ),
    };
    let chart = Chart::new("schedules of ann, bob and the worker", "schedules")
        .bar("lost committed work", k as f64)
        .bar("kept every edit", (n - k) as f64);
    Ok(Report::new("", !failed.is_empty() || k > 0, symptom)
        .observe("seed", Article::seed())
        .observe("stories", stories)
        .observe("schedules", json!({"runnable": n, "lost_an_edit": k}))
        .with_chart(chart)
        .with_transcript(transcript))
}

/// What a story shows, for the report and the Django twin: the schedule, the job
/// messages as the broker stored them, every row version written, the row at the end,
/// the truth and what was lost, and the steps that waited.
fn facts(told: &Told, permutation: &[&str], lost: &[String]) -> Value {
    let messages: Vec<Value> = told
        .jobs
        .iter()
        .map(|j| serde_json::from_str(&j.message).unwrap_or_else(|_| j.message.clone().into()))
        .collect();
    let (status, body) = told.truth();
    let waited: Vec<&str> = told
        .result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.as_str())
        .collect();
    json!({
        "permutation": permutation,
        "job_messages": messages,
        "history": told.history,
        "article": told.article,
        "truth": {"status": status, "body": body},
        "lost": lost,
        "steps_that_waited": waited,
    })
}

fn verdict_line(told: &Told, lost: &[String]) -> String {
    let row = &told.article;
    let (status, body) = told.truth();
    let verdict = if lost.is_empty() {
        "ok".to_owned()
    } else {
        format!("LOST: {}", lost.join(", "))
    };
    format!(
        "row v{} {}: {} (truth {status}: {body}) {verdict}",
        row.version, row.status, row.body
    )
}
