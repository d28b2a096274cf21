//! A variant's story: the purge steps through its statements; after each of them the site
//! gets a page view (a write) and a read of today's count; each request waits while the
//! database says "locked". The report counts, for every request, how many of the job's
//! statements it waited through, and checks the log against the truth.

use lab_kit::{Chart, Report, Transcript};
use serde_json::{Map, Value};

use crate::model::{JournalMode, Purge, Seed};
use crate::request::Kind;
use crate::world::{self, job_steps};

/// The story's requests and its permutation: after the job's step `r`, `post_<r>` and
/// `get_<r>`.
pub fn story_schedule() -> (Vec<(String, Kind)>, Vec<String>) {
    let mut requests = Vec::new();
    let mut permutation = Vec::new();
    for (r, step) in job_steps(Seed::SMALL).into_iter().enumerate() {
        permutation.push(step);
        for (name, kind) in [
            (format!("post_{r}"), Kind::Write),
            (format!("get_{r}"), Kind::Read),
        ] {
            permutation.push(name.clone());
            requests.push((name, kind));
        }
    }
    (requests, permutation)
}

/// Runs `purge` in `mode` through the story and reports the waits.
pub fn story(purge: &Purge, mode: JournalMode) -> lab_kit::Result<Report> {
    let (requests, permutation) = story_schedule();
    let ran = world::run(purge, mode, &requests, &permutation)?;
    let statements = job_steps(Seed::SMALL).len();
    let waits_of = |kind: Kind| -> Map<String, Value> {
        requests
            .iter()
            .filter(|(_, k)| *k == kind)
            .map(|(name, _)| (name.clone(), ran.waits[name].into()))
            .collect()
    };
    let (write_waits, read_waits) = (waits_of(Kind::Write), waits_of(Kind::Read));
    let blocked = |m: &Map<String, Value>| m.values().filter(|v| v.as_u64() > Some(0)).count();
    let longest = |m: &Map<String, Value>| m.values().filter_map(Value::as_u64).max().unwrap_or(0);
    let (writes_blocked, reads_blocked) = (blocked(&write_waits), blocked(&read_waits));
    let longest_write = longest(&write_waits);

    let seed = Seed::SMALL;
    let deleted = i64::try_from(seed.expired).unwrap_or(0) - ran.rows.expired;
    let rows_right = ran.rows.expired == 0
        && ran.rows.recent == i64::try_from(seed.recent).unwrap_or(0)
        && ran.rows.today == i64::try_from(write_waits.len()).unwrap_or(0);
    // The pitfall: a write kept waiting across more than one of the job's statements -
    // it waited for the job's transaction, not for a batch. (Or rows lost on the way.)
    let observed = longest_write > 1 || !rows_right;
    let symptom = if !rows_right {
        format!("the purge left the log wrong: {:?}", ran.rows)
    } else if observed {
        format!(
            "{writes_blocked} of {} page views arrived during the purge's transaction and \
             waited for the rest of it, up to {longest_write} of its {statements} \
             statements; {reads_blocked} reads waited too",
            write_waits.len()
        )
    } else {
        format!(
            "no request waited: the purge deleted {deleted} old events in {} committed \
             batches between the site's requests",
            statements - 2
        )
    };

    let mut transcript = ran.interleaving.transcript;
    summarize(&mut transcript, &write_waits, &read_waits);
    let chart = write_waits.iter().fold(
        Chart::new("Job statements each page view waited through", "statements"),
        |chart, (name, waited)| chart.bar(name.clone(), waited.as_f64().unwrap_or(0.0)),
    );
    Ok(Report::new("", observed, symptom)
        .observe("journal_mode", mode)
        .observe("seed", seed)
        .observe("permutation", &permutation)
        .observe("job_statements", statements)
        .observe("deleted", deleted)
        .observe("rows", ran.rows)
        .observe("writes_blocked", writes_blocked)
        .observe("reads_blocked", reads_blocked)
        .observe("reads_waited", reads_blocked > 0)
        .observe("longest_write_wait", longest_write)
        .observe("write_waits", write_waits)
        .observe("read_waits", read_waits)
        .with_chart(chart)
        .with_transcript(transcript))
}

fn summarize(t: &mut Transcript, writes: &Map<String, Value>, reads: &Map<String, Value>) {
    for (kind, waits) in [("write", writes), ("read", reads)] {
        let waited: Vec<String> = waits
            .iter()
            .filter(|(_, w)| w.as_u64() > Some(0))
            .map(|(name, w)| format!("{name} {w}"))
            .collect();
        let text = if waited.is_empty() {
            "none waited".to_owned()
        } else {
            format!("waited through the job's statements: {}", waited.join(", "))
        };
        t.push("site", format!("{kind} requests: {text}"));
    }
}
