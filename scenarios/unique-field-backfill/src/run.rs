//! A variant's report: two stories (a busy table, a one-row table), each judged against
//! the truth - one distinct, non-null UUID per row behind a unique index, and no failed
//! write - the tally of every schedule, and what SQLite itself refuses to ALTER.

use std::collections::BTreeMap;

use lab_kit::{Chart, Report, Transcript};
use serde::Serialize;

use crate::model::{self, Migration};
use crate::property::every_schedule;
use crate::story::{self, Facts};

/// A table with orders, the old app writing between the migration's steps.
pub const BUSY_TABLE: &[&str] = &[
    "add_column",
    "old_insert_1",
    "backfill_1",
    "old_insert_2",
    "backfill_2",
    "make_unique",
];
/// A table with one order (a developer's database): the migration runs through, then the
/// old app writes.
pub const ONE_ROW_TABLE: &[&str] = &[
    "add_column",
    "backfill_1",
    "backfill_2",
    "make_unique",
    "old_insert_1",
    "old_insert_2",
];

/// The stories every variant tells: name, orders in the table, permutation.
pub const STORIES: [(&str, usize, &[&str]); 2] = [
    ("busy_table", 4, BUSY_TABLE),
    ("one_row_table", 1, ONE_ROW_TABLE),
];

/// The ALTER TABLE statements a first attempt reaches for, each tried on a fresh table
/// with orders: SQLite refuses every one.
pub const FIRST_ATTEMPTS: [&str; 3] = [
    "ALTER TABLE shop_order ADD COLUMN uuid char(32) UNIQUE",
    "ALTER TABLE shop_order ADD COLUMN uuid char(32) NOT NULL",
    "ALTER TABLE shop_order ADD COLUMN uuid char(32) DEFAULT (lower(hex(randomblob(16))))",
];

/// One statement and what SQLite answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Answer {
    pub sql: String,
    pub error: Option<String>,
}

/// Runs `migration` through the stories and every schedule, and reports.
pub fn run(migration: Migration) -> lab_kit::Result<Report> {
    let mut transcript = Transcript::new();
    let mut stories = BTreeMap::<&str, Facts>::new();
    let mut failed = Vec::new();
    for (name, rows, permutation) in STORIES {
        let told = story::tell(migration, rows, 2, permutation)?;
        transcript.push(
            "story",
            format!("{name}: {rows} order(s), {}", permutation.join(", ")),
        );
        transcript.extend(told.transcript().clone());
        let problems = told.problems();
        let end = &told.end;
        let verdict = if problems.is_empty() {
            "ok".to_owned()
        } else {
            format!("WRONG: {}", problems.join("; "))
        };
        transcript.push(
            "truth",
            format!(
                "{} row(s), {} NULL, {} distinct, unique index {}: {verdict}",
                end.rows,
                end.null_values,
                end.distinct_values,
                if end.unique_index { "yes" } else { "no" }
            ),
        );
        if let Some(first) = problems.first() {
            failed.push(format!("{}: {first}", name.replace('_', " ")));
        }
        stories.insert(name, told.facts(rows, permutation));
    }
    let schedules = every_schedule(migration, STORIES[0].1)?;
    let (k, n) = (schedules.went_wrong.len(), schedules.runnable);
    let symptom = if failed.is_empty() {
        format!(
            "every order got its own UUID behind a unique index and the old app never failed, \
             in both stories and all {n} schedules"
        )
    } else {
        format!("{}; {k} of {n} schedules went wrong", failed.join("; "))
    };
    let chart = Chart::new("schedules of the migration and the old app", "schedules")
        .bar("went wrong", k as f64)
        .bar("one UUID per row, no failed write", (n - k) as f64);
    Ok(Report::new("", !failed.is_empty() || k > 0, symptom)
        .observe("stories", stories)
        .observe(
            "schedules",
            serde_json::json!({"seed_rows": schedules.seed_rows,
                                                      "runnable": n, "went_wrong": k}),
        )
        .observe("sqlite_refuses", first_attempts()?)
        .with_chart(chart)
        .with_transcript(transcript))
}

/// What SQLite answers to each of [`FIRST_ATTEMPTS`].
pub fn first_attempts() -> lab_kit::Result<Vec<Answer>> {
    let mut out = Vec::new();
    for sql in FIRST_ATTEMPTS {
        let conn = lab_kit::sqlite::memory()?;
        model::seed(&conn, 2)?;
        let error = conn.execute_batch(sql).err().map(|e| e.to_string());
        out.push(Answer {
            sql: sql.to_owned(),
            error,
        });
    }
    Ok(out)
}
