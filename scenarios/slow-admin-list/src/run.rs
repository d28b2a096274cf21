//! One variant's run: the story over real HTTP, every page checked against the truth
//! computed from the orders, and the verdict - whether a page made SQLite scan more rows
//! than a page needs - from what SQLite reported.

mod narrate;
pub(crate) mod story;

use lab_kit::{Chart, Report};
use serde_json::{Map, Value, json};

use crate::model::{Admin, COUNT_LIMIT, PER_PAGE, ROW_BUDGET, STORY_SEARCH};
use story::Step;

/// Why a run could not be judged: a page that shows the wrong thing is a bug of the
/// variant, not the pitfall.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{label} ({path}) {why}")]
    WrongPage {
        label: String,
        path: String,
        why: String,
    },
}

/// Runs the story with `admin` and reports what every page cost beside what it needs.
pub fn run(name: &str, admin: Admin) -> lab_kit::Result<Report> {
    let story = lab_kit::http::block_on(story::tell(admin))??;
    for step in &story.steps {
        let expected = story.orders.expected(&step.search, step.number);
        let v = &step.visit;
        let wrong = |why: String| RunError::WrongPage {
            label: step.label(),
            path: v.path.clone(),
            why,
        };
        let count = v
            .count()
            .ok_or_else(|| wrong(format!("shows the count {:?}", v.count)))
            .map_err(lab_kit::Error::scenario)?;
        expected
            .check(&v.ids, count, v.total(), v.next.is_some())
            .map_err(|why| lab_kit::Error::scenario(wrong(why)))?;
    }
    let slow: Vec<&Step> = story
        .steps
        .iter()
        .filter(|s| s.rows_scanned() > ROW_BUDGET)
        .collect();
    let most = story
        .steps
        .iter()
        .map(Step::rows_scanned)
        .max()
        .unwrap_or(0);
    let symptom = if slow.is_empty() {
        format!(
            "every page, the last as the first, scanned at most {most} rows to show \
             {PER_PAGE} orders (a page needs at most {ROW_BUDGET})"
        )
    } else {
        format!(
            "{} of {} pages of the order list scanned more rows than they show: up to \
             {most} rows for {PER_PAGE} of {} orders (a page needs at most {ROW_BUDGET})",
            slow.len(),
            story.steps.len(),
            story.orders.rows.len(),
        )
    };
    let shown = detailed(&story.steps);
    let facts = |f: &dyn Fn(&Step) -> Value| -> Map<String, Value> {
        shown.iter().map(|s| (s.label(), f(s))).collect()
    };
    let transcript = narrate::transcript(&story, &shown);
    Ok(Report::new(name, !slow.is_empty(), symptom)
        // The input, so the Django twin generates the same orders and opens the same pages.
        .observe(
            "data",
            json!({"orders": story.orders.rows.len(), "seed": story.orders.seed, "search": STORY_SEARCH}),
        )
        .observe(
            "budget",
            json!({"per_page": PER_PAGE, "count_limit": COUNT_LIMIT, "rows_a_page_needs": ROW_BUDGET}),
        )
        .observe("migration", &story.migration)
        .observe("requests", facts(&|s| json!(s.visit.path)))
        .observe("sql", facts(&|s| json!(s.statements.iter().map(|st| &st.sql).collect::<Vec<_>>())))
        .observe("plans", facts(&|s| json!(s.statements.iter().map(|st| &st.plan).collect::<Vec<_>>())))
        .observe("shown", facts(&|s| shown_fact(s)))
        .observe("work", facts(&|s| work_fact(s)))
        .observe(
            "pages",
            json!({"opened": story.steps.len(), "over_budget": slow.len(), "most_rows_scanned": most}),
        )
        .with_chart(chart(&shown))
        .with_transcript(transcript))
}

/// The pages told in full: the first two and the last of the whole list, and the first
/// two of the search's.
fn detailed(steps: &[Step]) -> Vec<&Step> {
    let list: Vec<&Step> = steps.iter().filter(|s| s.search.is_empty()).collect();
    let search = steps.iter().filter(|s| !s.search.is_empty());
    let mut chosen: Vec<&Step> = list.iter().take(2).copied().collect();
    if let Some(last) = list.last().filter(|l| l.number > 2) {
        chosen.push(last);
    }
    chosen.extend(search.take(2));
    chosen
}

/// What the page shows, as the browser read it.
fn shown_fact(step: &Step) -> Value {
    let v = &step.visit;
    json!({
        "orders": v.ids.len(),
        "first": v.ids.first(),
        "last": v.ids.last(),
        "count": v.count,
        "total": v.total,
        "next": v.next,
    })
}

/// What each statement of the page cost, as SQLite counted it.
fn work_fact(step: &Step) -> Value {
    let statements: Vec<Value> = step
        .statements
        .iter()
        .map(|s| {
            json!({
                "rows_scanned": s.rows_scanned(),
                "full_scan_steps": s.full_scan_steps,
                "counted_entries": s.counted_entries,
                "sorts": s.sorts,
                "vm_steps": s.vm_steps,
                "inner_statements": s.inner_statements,
            })
        })
        .collect();
    json!({"rows_scanned": step.rows_scanned(), "statements": statements})
}

fn chart(shown: &[&Step]) -> Chart {
    // Row counts of a 5000-order table: far inside the integers f64 holds exactly.
    let rows = |n: u64| n as f64;
    let chart = Chart::new(
        "rows SQLite scanned per page, beside what a page needs",
        "rows",
    );
    shown
        .iter()
        .fold(chart, |c, s| c.bar(s.label(), rows(s.rows_scanned())))
        .bar("a page needs", rows(ROW_BUDGET))
}
