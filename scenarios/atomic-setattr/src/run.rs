//! A variant's story: the seed article, one data map with a value the database refuses,
//! the update as SQLite's trace hook saw it, and the article and its relations judged
//! against all-or-nothing.

use lab_kit::sqlite::StatementLog;
use lab_kit::{Report, Transcript};
use serde_json::json;

use crate::model::{ARTICLE, Article, Entry, State, UpdateFn, blog};

/// The edit a client sends: new tags and authors, a new title, and a rating of 9 that the
/// table's CHECK constraint refuses (ratings go from 0 to 5).
pub fn seed_update() -> Vec<Entry> {
    vec![
        Entry::Tags(vec![2, 3]),
        Entry::Authors(vec![1, 2]),
        Entry::Title("Published".to_owned()),
        Entry::Rating(9),
    ]
}

/// What one update left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    pub before: State,
    /// What the data map asks for: `before` with every entry applied.
    pub asked: State,
    pub after: State,
    /// The error the update returned, in the database's words.
    pub error: Option<String>,
    /// What SQLite was asked, in order.
    pub statements: Vec<String>,
}

impl Outcome {
    /// The fields the update changed and the ones it asked for but left as they were.
    pub fn split(&self) -> (Vec<&'static str>, Vec<&'static str>) {
        let (b, a, x) = (&self.before, &self.after, &self.asked);
        let parts = [
            ("title", b.title != a.title, a.title != x.title),
            ("rating", b.rating != a.rating, a.rating != x.rating),
            ("tags", b.tags != a.tags, a.tags != x.tags),
            ("authors", b.authors != a.authors, a.authors != x.authors),
        ];
        let changed = parts.iter().filter(|p| p.1).map(|p| p.0).collect();
        let left = parts.iter().filter(|p| !p.1 && p.2).map(|p| p.0).collect();
        (changed, left)
    }

    /// Neither all old nor all new: part of the update is stored.
    pub fn half_stored(&self) -> bool {
        self.after != self.before && self.after != self.asked
    }
}

/// Runs `update` with `data` on a fresh blog.
pub fn apply(update: UpdateFn, data: &[Entry]) -> lab_kit::Result<Outcome> {
    let mut conn = blog()?;
    let before = State::read(&conn)?;
    let log = StatementLog::attach(&mut conn)?;
    let mut article = Article::get(&conn, ARTICLE)?;
    let error = update(&conn, &mut article, data)
        .err()
        .map(|e| e.to_string());
    let statements = log.take();
    // The update may have left its transaction open on an error; what counts is what
    // the next request sees.
    if !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    Ok(Outcome {
        asked: before.with(data),
        after: State::read(&conn)?,
        before,
        error,
        statements,
    })
}

/// The story of `update` on the seed data map, as a report.
pub fn run(update: UpdateFn) -> lab_kit::Result<Report> {
    let data = seed_update();
    let outcome = apply(update, &data)?;
    let (changed, left) = outcome.split();
    let observed = outcome.half_stored();
    let error = outcome.error.as_deref().unwrap_or("none");
    let symptom = if observed {
        format!(
            "the edit failed ({error}), yet {} changed and {} did not: half the edit is stored",
            changed.join(" and "),
            left.join(" and ")
        )
    } else if outcome.after == outcome.before {
        format!("the edit failed ({error}) and nothing of it is stored")
    } else {
        "the whole edit is stored".to_owned()
    };
    let data_json: Vec<serde_json::Value> = data.iter().map(Entry::to_json).collect();
    let mut t = Transcript::new();
    t.push(
        "app",
        format!("update_article(article, {})", json!(data_json)),
    );
    for sql in &outcome.statements {
        t.push("db", sql);
    }
    t.push("app", format!("error: {error}"));
    t.push("db", format!("after: {}", json!(outcome.after)));
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly this edit.
        .observe("data", data_json)
        .observe("before", &outcome.before)
        .observe("after", &outcome.after)
        .observe("error", error)
        .observe("changed", changed)
        .observe("asked_but_unchanged", left)
        .with_transcript(t))
}
