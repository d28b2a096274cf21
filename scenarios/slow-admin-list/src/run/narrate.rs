//! The transcript: the migration, each page told in full (request, every statement with
//! its plan and cost, what came back), the pages between summed up in one line.

use lab_kit::Transcript;

use super::story::{Step, Story};
use crate::model::{PER_PAGE, ROW_BUDGET};
use crate::probe::Statement;

pub(super) fn transcript(story: &Story, detailed: &[&Step]) -> Transcript {
    let mut t = Transcript::new();
    t.push(
        "app",
        format!(
            "{} orders in app_order (seed {}), listed newest first, {PER_PAGE} a page; a \
             page needs at most {ROW_BUDGET} rows scanned",
            story.orders.rows.len(),
            story.orders.seed
        ),
    );
    if story.migration.is_empty() {
        t.push("app", "the admin's migration: nothing to run");
    }
    for sql in &story.migration {
        t.push("migration", sql);
    }
    let mut skipped: Vec<&Step> = Vec::new();
    for step in &story.steps {
        if !detailed.iter().any(|d| std::ptr::eq(*d, step)) {
            skipped.push(step);
            continue;
        }
        summarize(&mut t, &std::mem::take(&mut skipped));
        page(&mut t, step);
    }
    summarize(&mut t, &skipped);
    let slow = story
        .steps
        .iter()
        .filter(|s| s.rows_scanned() > ROW_BUDGET)
        .count();
    t.push(
        "app",
        format!(
            "{slow} of {} pages scanned more rows than a page needs",
            story.steps.len()
        ),
    );
    t
}

/// One page in full.
fn page(t: &mut Transcript, step: &Step) {
    let v = &step.visit;
    t.push("browser", format!("GET {}", v.path));
    for s in &step.statements {
        t.push("db", &s.sql);
        t.push("db", format!("  plan: {}", s.plan.join(" / ")));
        t.push("db", format!("  {}", cost(s)));
    }
    let shows = match (v.ids.first(), v.ids.last()) {
        (Some(a), Some(b)) => format!("{} orders (#{a} .. #{b})", v.ids.len()),
        _ => "no orders".to_owned(),
    };
    let total = v
        .total
        .as_ref()
        .map(|t| format!(" ({t} total)"))
        .unwrap_or_default();
    let next = v.next.as_deref().unwrap_or("none");
    t.push(
        "server",
        format!(
            "{}: \"{}\"{total}, {shows}, next: {next}",
            v.status, v.count
        ),
    );
    let rows = step.rows_scanned();
    let verdict = if rows > ROW_BUDGET { "over" } else { "within" };
    t.push(
        "app",
        format!(
            "{} scanned {rows} rows to show {}: {verdict} the {ROW_BUDGET} a page needs",
            step.label(),
            v.ids.len()
        ),
    );
}

/// What one statement cost, in SQLite's words.
fn cost(s: &Statement) -> String {
    let mut parts = vec![format!("scanned {} rows", s.rows_scanned())];
    if s.counted_entries > 0 {
        parts.push(format!(
            "a Count instruction visited {} entries",
            s.counted_entries
        ));
    }
    parts.push(format!("{} sort(s)", s.sorts));
    parts.push(format!("{} VM steps", s.vm_steps));
    if s.inner_statements > 0 {
        parts.push(format!("{} inner statement(s)", s.inner_statements));
    }
    parts.join(", ")
}

/// The pages between two told in full, in one line.
fn summarize(t: &mut Transcript, steps: &[&Step]) {
    let (Some(first), Some(last)) = (steps.first(), steps.last()) else {
        return;
    };
    let rows: Vec<u64> = steps.iter().map(|s| s.rows_scanned()).collect();
    let (low, high) = (
        rows.iter().min().copied().unwrap_or(0),
        rows.iter().max().copied().unwrap_or(0),
    );
    let (pages, each) = match steps.len() {
        1 => (first.label(), "scanned"),
        n => (
            format!("{} to {} ({n} pages)", first.label(), last.label()),
            "each scanned",
        ),
    };
    let range = if low == high {
        format!("{each} {low} rows")
    } else {
        format!("{each} {low} to {high} rows")
    };
    t.push("browser", format!("followed next through {pages}: {range}"));
}
