//! The property every safe search satisfies, runnable against any [`SearchFn`]: whatever
//! the search text, the answer is the truth and the database is asked one and the same
//! SQL text.

use lab_kit::sqlite::{self, StatementLog};
use rusqlite::Connection;

use crate::app::{AppError, run_search};
use crate::model::{self, SearchFn};

/// Cases per property run: each builds an in-memory shop and searches it.
pub const CASES: u32 = 256;

/// What generated search texts are made of (a proptest regex): letters and digits, both
/// quotes, `;`, `--`, LIKE's `%` and `_`, a backslash, NUL, non-ASCII letters, and two
/// pieces of SQL.
pub const QUERY_TEXT: &str = r#"([a-zA-Z0-9 '";%_\\\x00éß€𝄞-]|--|' OR 1=1|UNION SELECT ){0,8}"#;

/// The search whose SQL text every other search must share.
pub const PROBE: &str = "lamp";

/// Both halves: [`answers_the_truth`] and [`runs_one_constant_sql_text`].
pub fn one_constant_statement_and_the_truth(search: SearchFn, q: &str) -> Result<(), String> {
    answers_the_truth(search, q)?;
    runs_one_constant_sql_text(search, q)
}

/// Searching the seeded shop for `q` through the app (the form's rule, then `search`)
/// answers exactly [`model::truth`]: the same rows in the same order, or the form's
/// refusal.
pub fn answers_the_truth(search: SearchFn, q: &str) -> Result<(), String> {
    let (conn, _) = shop()?;
    let got = run_search(&conn, search, q);
    let want = model::truth(q);
    let same = match (&got, &want) {
        (Ok(rows), Ok(truth)) => rows == truth,
        (Err(AppError::Form(refused)), Err(truth)) => refused == truth,
        _ => false,
    };
    if same {
        return Ok(());
    }
    let got = match got {
        Ok(rows) => format!("{} row(s) {rows:?}", rows.len()),
        Err(e) => format!("an error ({e})"),
    };
    Err(format!(
        "the search for {q:?} answered {got}; it should answer {want:?}"
    ))
}

/// Searching the seeded shop for `q` runs at most one statement, and its text (as
/// SQLite's trace hook reports it) is the text the search for [`PROBE`] ran.
pub fn runs_one_constant_sql_text(search: SearchFn, q: &str) -> Result<(), String> {
    let (conn, log) = shop()?;
    run_search(&conn, search, PROBE)
        .map_err(|e| format!("the search for {PROBE:?} failed: {e}"))?;
    let probe = log.take();
    let [probe] = probe.as_slice() else {
        return Err(format!(
            "the search for {PROBE:?} ran {probe:?}, not one statement"
        ));
    };
    // Whether the search answers is the other half's business; here only its SQL counts.
    let _ = run_search(&conn, search, q);
    let ran = log.take();
    if ran.len() > 1 || ran.iter().any(|sql| sql != probe) {
        return Err(format!(
            "the search for {q:?} ran {ran:?}; the search for {PROBE:?} ran {probe:?}"
        ));
    }
    Ok(())
}

/// A fresh in-memory shop and the log of the statements its connection runs.
fn shop() -> Result<(Connection, StatementLog), String> {
    let mut conn = sqlite::memory().map_err(|e| format!("no database: {e}"))?;
    model::load(&conn).map_err(|e| format!("the shop could not be loaded: {e}"))?;
    let log = StatementLog::attach(&mut conn).map_err(|e| format!("no statement log: {e}"))?;
    Ok((conn, log))
}
