//! One variant's run: the seed's sign-ups saved through the variant's table and save in a
//! fresh SQLite database, the page's two lists, and every answer judged against the truth
//! computed from the sign-ups alone.

use lab_kit::sqlite::{self, StatementLog};
use lab_kit::{Chart, Report, Transcript};
use rusqlite::Connection;
use serde_json::{Value, json};

use crate::model::{self, Field, Signup, Storage};

/// One of the page's lists: what it showed, the truth, and what became of the users it
/// left out.
struct Listing {
    field: Field,
    sql: String,
    listed: Vec<String>,
    truth: Vec<String>,
    /// Per missing user: why the list left them out.
    missing: Vec<(String, String)>,
}

/// Runs `storage` on the seed and reports what the lists showed beside the truth.
pub fn run(storage: Storage) -> lab_kit::Result<Report> {
    let signups = model::seed();
    let mut conn = sqlite::memory()?;
    let log = StatementLog::attach_expanded(&mut conn)?;
    let mut t = Transcript::new();
    let results = model::store(&conn, storage, &signups)?;
    let mut statements = log.take().into_iter();
    let schema = statements
        .next()
        .expect("store runs the CREATE TABLE before any save");
    t.push("db", &schema);
    let mut refused = Vec::new();
    for ((signup, result), insert) in signups.iter().zip(&results).zip(statements) {
        t.push("app", format!("sign-up {}", signup.describe()));
        t.push("db", insert);
        if let Err(e) = result {
            t.push("db", format!("refused: {e}"));
            refused.push(json!({"user": signup.username, "error": e.to_string()}));
        }
    }
    let stored = stored_rows(&conn)?;
    // The report's own read of the table is evidence, not something the app asked.
    log.take();
    let mut listings = Vec::new();
    for field in [Field::Nickname, Field::Email] {
        let listed = model::list(&conn, field)?;
        let sql = log.take().concat();
        let truth = model::truth(&signups, field);
        let missing = truth
            .iter()
            .filter(|u| !listed.contains(u))
            .map(|u| (u.clone(), why_missing(&stored, u, field)))
            .collect();
        listings.push(Listing {
            field,
            sql,
            listed,
            truth,
            missing,
        });
    }
    let mut counts = serde_json::Map::new();
    let mut chart = Chart::new("profiles without a value, counted two ways", "profiles");
    for l in &listings {
        l.narrate(&mut t);
        let column = l.field.column();
        let (empty, nulls) = (
            count(&conn, column, "= ''")?,
            count(&conn, column, "IS NULL")?,
        );
        let truth = i64::try_from(l.truth.len()).expect("a handful of users");
        t.push(
            "app",
            format!(
                "counting profiles without {}: {column} = '' finds {empty}, {column} IS NULL finds {nulls}, truth {truth}",
                l.field.with_article()
            ),
        );
        counts.insert(
            column.to_owned(),
            json!({"equals_empty": empty, "is_null": nulls, "truth": truth}),
        );
        // A handful of profiles: exact in f64.
        chart = chart
            .bar(format!("{column} = ''"), empty as f64)
            .bar(format!("{column} IS NULL"), nulls as f64)
            .bar(format!("no {column} (truth)"), truth as f64);
    }

    // The verdict: a sign-up the database refused, or a list that is not the truth.
    let observed = !refused.is_empty() || listings.iter().any(|l| l.listed != l.truth);
    let symptom = symptom(&listings, &refused);
    Ok(Report::new("", observed, symptom)
        // The input, so the Django twin replays exactly these sign-ups.
        .observe("signups", signups.iter().map(as_json).collect::<Vec<_>>())
        .observe("schema", schema)
        .observe("stored", stored)
        .observe("refused", refused)
        .observe("sql", listings.iter().map(|l| &l.sql).collect::<Vec<_>>())
        .observe("without_nickname", listings[0].observation())
        .observe("without_email", listings[1].observation())
        .observe("empty_counts", counts)
        .with_chart(chart)
        .with_transcript(t))
}

impl Listing {
    fn observation(&self) -> Value {
        json!({"listed": self.listed, "truth": self.truth})
    }

    fn narrate(&self, t: &mut Transcript) {
        t.push("db", &self.sql);
        t.push(
            "db",
            format!("{} row(s): {}", self.listed.len(), self.listed.join(", ")),
        );
        let mut verdict = format!(
            "without {}: truth {}",
            self.field.with_article(),
            self.truth.join(", ")
        );
        for (user, why) in &self.missing {
            verdict.push_str(&format!("; {user} is MISSING ({why})"));
        }
        t.push("app", verdict);
    }
}

/// The user's sign-up, with `null` for a field that came without a value.
fn as_json(s: &Signup) -> Value {
    json!({"user": s.username, "nickname": s.nickname, "email": s.email})
}

/// Every stored profile in id order, with `null` for NULL.
fn stored_rows(conn: &Connection) -> rusqlite::Result<Vec<Value>> {
    let mut stmt = conn.prepare("SELECT username, nickname, email FROM app_profile ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        let (user, nickname, email): (String, Option<String>, Option<String>) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        Ok(json!({"user": user, "nickname": nickname, "email": email}))
    })?;
    rows.collect()
}

/// Why a user of the truth is not on a list: what their row holds, or that it is absent.
fn why_missing(stored: &[Value], user: &str, field: Field) -> String {
    match stored.iter().find(|r| r["user"] == user) {
        None => "the sign-up was refused".to_owned(),
        Some(row) => match &row[field.column()] {
            Value::Null => format!("its {} is stored as NULL", field.column()),
            value => format!(
                "its {} is stored as '{}'",
                field.column(),
                value.as_str().unwrap_or("")
            ),
        },
    }
}

/// How many stored profiles have `column <condition>`.
fn count(conn: &Connection, column: &str, condition: &str) -> rusqlite::Result<i64> {
    let sql = format!("SELECT COUNT(*) FROM app_profile WHERE {column} {condition}");
    conn.query_row(&sql, [], |r| r.get(0))
}

fn symptom(listings: &[Listing], refused: &[Value]) -> String {
    let mut parts: Vec<String> = listings
        .iter()
        .filter(|l| !l.missing.is_empty())
        .map(|l| {
            let users: Vec<&str> = l.missing.iter().map(|(u, _)| u.as_str()).collect();
            format!(
                "the list of profiles without {} misses {}",
                l.field.with_article(),
                users.join(" and ")
            )
        })
        .collect();
    for r in refused {
        parts.push(format!(
            "{}'s sign-up failed with \"{}\"",
            r["user"].as_str().unwrap_or(""),
            r["error"].as_str().unwrap_or("")
        ));
    }
    if parts.is_empty() {
        "every sign-up was stored, and both lists show exactly the profiles without a nickname or an email".to_owned()
    } else {
        parts.join("; ")
    }
}
