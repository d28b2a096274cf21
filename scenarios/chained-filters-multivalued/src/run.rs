//! One variant's run: the documentation's blogs in a fresh SQLite database, then the same
//! with a blog that has two matching entries; each time the search's SQL as SQLite's
//! trace hook saw it and its rows beside the truth computed from the entries.

use lab_kit::sqlite::{self, StatementLog};
use lab_kit::{Chart, Report, Transcript};
use serde_json::{Value, json};

use crate::model::{Blog, BlogSearch, Dataset, HEADLINE, YEAR};

/// One step: a data set, what the database ran, what came back, and the truth.
struct Step {
    title: &'static str,
    data: Dataset,
    statements: Vec<String>,
    rows: Vec<Blog>,
    truth: Vec<Blog>,
}

impl Step {
    /// Loads `data`, runs `search` with the trace hook on, computes the truth.
    fn run(title: &'static str, data: Dataset, search: BlogSearch) -> lab_kit::Result<Self> {
        let mut conn = sqlite::memory()?;
        data.load(&conn)?;
        // Attached after loading: the log holds exactly what the search asked.
        let log = StatementLog::attach(&mut conn)?;
        let rows = search(&conn, HEADLINE, YEAR)?;
        let truth = data.truth(HEADLINE, YEAR);
        Ok(Self {
            title,
            data,
            statements: log.take(),
            rows,
            truth,
        })
    }

    fn names(blogs: &[Blog]) -> Vec<&str> {
        blogs.iter().map(|b| b.name.as_str()).collect()
    }

    /// Blogs listed that have no entry meeting both conditions.
    fn wrong(&self) -> Vec<&str> {
        let mut wrong: Vec<&str> = Self::names(&self.rows)
            .into_iter()
            .filter(|n| !self.truth.iter().any(|t| t.name == *n))
            .collect();
        wrong.dedup();
        wrong
    }

    /// Blogs of the truth that are not listed.
    fn missing(&self) -> Vec<&str> {
        Self::names(&self.truth)
            .into_iter()
            .filter(|n| !self.rows.iter().any(|r| r.name == *n))
            .collect()
    }

    /// Blogs listed more than once.
    fn repeated(&self) -> Vec<&str> {
        let names = Self::names(&self.rows);
        let mut repeated: Vec<&str> = names
            .iter()
            .enumerate()
            .filter(|(i, n)| names[..*i].contains(n))
            .map(|(_, n)| *n)
            .collect();
        repeated.dedup();
        repeated
    }

    fn observation(&self) -> Value {
        json!({
            "rows": Self::names(&self.rows),
            "truth": Self::names(&self.truth),
        })
    }

    fn narrate(&self, t: &mut Transcript) {
        t.push("app", self.title);
        for entry in self.data.describe() {
            t.push("data", entry);
        }
        for sql in &self.statements {
            t.push("db", sql);
        }
        let rows = Self::names(&self.rows);
        t.push("db", format!("{} row(s): {}", rows.len(), rows.join(", ")));
        let mut verdict = format!("truth: {}", Self::names(&self.truth).join(", "));
        for blog in self.wrong() {
            verdict.push_str(&format!(
                "; {blog} is WRONG: none of its entries meets both conditions"
            ));
        }
        for blog in self.repeated() {
            let times = rows.iter().filter(|n| **n == blog).count();
            verdict.push_str(&format!("; {blog} is listed {times} times"));
        }
        t.push("app", verdict);
    }
}

/// Runs `search` on the documentation's example and on it plus a busy blog, and reports
/// each result beside the truth.
pub fn run(search: BlogSearch) -> lab_kit::Result<Report> {
    let question =
        format!("blogs with an entry whose headline contains {HEADLINE:?}, published in {YEAR}");
    let docs = Step::run(
        "the documentation's example: B1 and B2",
        Dataset::docs_example(),
        search,
    )?;
    let busy = Step::run(
        "the same, plus B3 with two entries about Lennon from 2008",
        Dataset::with_busy_blog(),
        search,
    )?;
    let steps = [&docs, &busy];
    // The verdict: any step whose rows, in order and with their repeats, are not the
    // truth - a wrong blog, a missing one, or one listed twice.
    let observed = steps.iter().any(|s| s.rows != s.truth);
    let mut wrong: Vec<&str> = steps.iter().flat_map(|s| s.wrong()).collect();
    wrong.sort_unstable();
    wrong.dedup();
    let mut repeated: Vec<&str> = steps.iter().flat_map(|s| s.repeated()).collect();
    repeated.sort_unstable();
    repeated.dedup();
    let mut missing: Vec<&str> = steps.iter().flat_map(|s| s.missing()).collect();
    missing.sort_unstable();
    missing.dedup();
    let symptom = if observed {
        let mut parts = Vec::new();
        if !wrong.is_empty() {
            let has = if wrong.len() == 1 { "has" } else { "have" };
            parts.push(format!(
                "lists {}, which {has} no such entry",
                wrong.join(", ")
            ));
        }
        if !missing.is_empty() {
            parts.push(format!("misses {}", missing.join(", ")));
        }
        if !repeated.is_empty() {
            parts.push(format!("repeats {}", repeated.join(", ")));
        }
        format!("the search for {question} {}", parts.join(", and "))
    } else {
        format!("the search for {question} lists exactly the blogs that have one, each once")
    };
    let mut t = Transcript::new();
    t.push("app", format!("search: {question}"));
    docs.narrate(&mut t);
    busy.narrate(&mut t);
    let chart = Chart::new("rows returned beside the truth", "rows")
        .bar("B1, B2: rows", count(docs.rows.len()))
        .bar("B1, B2: truth", count(docs.truth.len()))
        .bar("with B3: rows", count(busy.rows.len()))
        .bar("with B3: truth", count(busy.truth.len()));
    Ok(Report::new("", observed, symptom)
        // The inputs, so the Django twin loads exactly these entries.
        .observe(
            "data",
            json!({"docs_example": docs.data.describe(), "busy_blog": busy.data.describe()}),
        )
        .observe("sql", &docs.statements)
        .observe("docs_example", docs.observation())
        .observe("busy_blog", busy.observation())
        .observe("wrong_blogs", &wrong)
        .observe("repeated_blogs", &repeated)
        .with_chart(chart)
        .with_transcript(t))
}

/// A row count as a chart value: a handful of rows, exact in f64.
fn count(n: usize) -> f64 {
    f64::from(u32::try_from(n).expect("a handful of rows"))
}
