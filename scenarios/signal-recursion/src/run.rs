//! One edit in a fresh SQLite database: every model's row, the variant's receiver
//! connected along each hook, the first model's email changed and saved; then what the
//! database's triggers counted and what every row holds, judged against the truth that
//! one edit writes each row at most once and brings the rows it reaches in step.

use std::collections::BTreeMap;

use lab_kit::{Chart, Report, Transcript, sqlite};

use crate::model::{GUARD_DEPTH, HookGraph, NEW_EMAIL, OLD_EMAIL, ROW, SaveError, SyncFn, label};
use crate::orm::{Orm, row_writes};

/// What one edit left behind.
#[derive(Debug)]
pub struct Edit {
    /// The recursion the hook runner stopped, if it had to.
    pub error: Option<SaveError>,
    /// How often each row was written, from the database's triggers.
    pub row_writes: BTreeMap<String, i64>,
    /// Every row's email afterwards, by row label.
    pub emails: BTreeMap<String, String>,
    pub transcript: Transcript,
}

/// Runs the edit on `graph` with `sync` as every receiver. A database failure is an error;
/// the hook runner's refusal is a result.
pub fn one_edit(sync: SyncFn, graph: &HookGraph) -> lab_kit::Result<Edit> {
    let conn = sqlite::memory()?;
    conn.execute_batch(&graph.schema())?;
    let mut orm = Orm::new(&conn);
    for &(sender, target) in &graph.hooks {
        orm.connect(&graph.models[sender], &graph.models[target], sync);
    }
    let outcome = edit_first(&mut orm, &graph.models[0]);
    let error = match outcome {
        Ok(()) => None,
        Err(e @ SaveError::Recursion { .. }) => Some(e),
        Err(SaveError::Sqlite(e)) => return Err(e.into()),
    };
    let mut emails = BTreeMap::new();
    for model in &graph.models {
        let sql = format!("SELECT email FROM app_{model} WHERE id = ?1");
        emails.insert(
            label(model, ROW),
            conn.query_row(&sql, [ROW], |r| r.get(0))?,
        );
    }
    Ok(Edit {
        error,
        row_writes: row_writes(&conn)?,
        emails,
        transcript: orm.into_transcript(),
    })
}

/// The view: load the first model's row, set the new email, save it.
fn edit_first(orm: &mut Orm<'_>, model: &str) -> Result<(), SaveError> {
    let mut row = orm.get(model, ROW)?;
    row.email = NEW_EMAIL.to_owned();
    orm.note(format!("{}.email = {NEW_EMAIL}; save()", row.label()));
    orm.save(&row)
}

impl Edit {
    /// Rows written more than once by the one edit.
    pub fn rewritten(&self) -> Vec<(&str, i64)> {
        self.row_writes
            .iter()
            .filter(|(_, n)| **n > 1)
            .map(|(row, n)| (row.as_str(), *n))
            .collect()
    }

    /// Rows the edit should have brought to the new email - the edited row and the rows
    /// its own receivers target - that do not hold it.
    pub fn out_of_step(&self, graph: &HookGraph) -> Vec<String> {
        let reached = std::iter::once(graph.models[0].as_str()).chain(graph.targets_of(0));
        reached
            .map(|model| label(model, ROW))
            .filter(|row| self.emails.get(row).map(String::as_str) != Some(NEW_EMAIL))
            .collect()
    }
}

/// The seed story with `sync` as both receivers, judged against the truth.
pub fn run(sync: SyncFn) -> lab_kit::Result<Report> {
    let graph = HookGraph::seed();
    let before: BTreeMap<String, &str> = graph
        .models
        .iter()
        .map(|m| (label(m, ROW), OLD_EMAIL))
        .collect();
    let edit = one_edit(sync, &graph)?;
    let rewritten = edit.rewritten();
    let out_of_step = edit.out_of_step(&graph);
    let observed = edit.error.is_some() || !rewritten.is_empty() || !out_of_step.is_empty();
    let symptom = match (&edit.error, observed) {
        (Some(e), _) => format!(
            "saving one email never finished: the receivers saved each other until the hook \
             runner stopped them {} saves deep ({}); the database counted writes of {}",
            GUARD_DEPTH,
            e.cycle().unwrap_or_default().join(" -> "),
            writes_text(&edit.row_writes)
        ),
        (None, true) => format!(
            "one edit wrote rows {} and left {} out of step",
            writes_text(&edit.row_writes),
            out_of_step.join(", ")
        ),
        (None, false) => format!(
            "one edit, one write per row: {} hold {NEW_EMAIL}",
            edit.emails
                .keys()
                .cloned()
                .collect::<Vec<_>>()
                .join(" and ")
        ),
    };
    let path = match &edit.error {
        Some(SaveError::Recursion { path }) => Some(path.clone()),
        _ => None,
    };
    let mut chart = Chart::new("rows written by one edit (the truth: 1 each)", "writes");
    for (row, n) in &edit.row_writes {
        // A handful of writes: far inside the integers f64 holds exactly.
        chart = chart.bar(row.clone(), *n as f64);
    }
    Ok(Report::new("", observed, symptom)
        .observe("hooks", graph.describe_hooks())
        .observe("emails_before", before)
        .observe(
            "edit",
            format!("{}.email = {NEW_EMAIL}", label(&graph.models[0], ROW)),
        )
        .observe("guard_depth", GUARD_DEPTH)
        .observe("path", path)
        .observe("cycle", edit.error.as_ref().and_then(SaveError::cycle))
        .observe("row_writes", &edit.row_writes)
        .observe("emails", &edit.emails)
        .with_chart(chart)
        .with_transcript(edit.transcript))
}

/// `profile#1 4 times, user#1 4 times`.
fn writes_text(writes: &BTreeMap<String, i64>) -> String {
    let parts: Vec<String> = writes
        .iter()
        .map(|(row, n)| format!("{row} {n} time{}", if *n == 1 { "" } else { "s" }))
        .collect();
    parts.join(", ")
}
