//! One variant's run: the shop in a SQLite file, the app on loopback, a customer's and an
//! attacker's searches over real HTTP, every statement logged by SQLite's trace hook, and
//! each response judged against the rows the search should show.

mod narrate;
mod world;

use lab_kit::Report;
use lab_kit::sqlite::TempDb;
use serde_json::json;

use crate::model::{self, PRODUCTS, Product, SearchFn, USERS};
use world::{Answer, World};

/// Who searches for what: two customers' searches, then the two classic attacks.
pub const SEARCHES: [(&str, &str); 4] = [
    ("customer", "lamp"),
    ("customer", "grandma's"),
    ("attacker", "' OR 1=1 --"),
    (
        "attacker",
        "' UNION SELECT id, username || ':' || password, 0 FROM auth_user --",
    ),
];

/// Runs every search of [`SEARCHES`] against the app with `search` behind its view.
pub fn run(search: SearchFn) -> lab_kit::Result<Report> {
    let answers = lab_kit::http::block_on(visit(search))??;
    Ok(judge(&answers))
}

async fn visit(search: SearchFn) -> lab_kit::Result<Vec<Answer>> {
    let db = TempDb::new()?;
    model::load(&db.connect()?)?;
    let world = World::serve(db.connect()?, search).await?;
    let mut answers = Vec::new();
    for (who, q) in SEARCHES {
        answers.push(world.search(who, q).await?);
    }
    world.stop().await?;
    Ok(answers)
}

/// What one answer showed beyond the truth.
#[derive(Debug, Default)]
struct Judged {
    /// The answer differs from the truth: another status, or other rows.
    wrong: bool,
    /// Unpublished products it listed.
    hidden: Vec<String>,
    /// Users whose password hash it carried.
    hashes: Vec<String>,
}

/// Compares `answer` with what the search should show (`model::truth`).
fn judge_one(answer: &Answer) -> Judged {
    let truth = model::truth(answer.q).expect("the searches hold no NUL");
    let Some(results) = &answer.results else {
        return Judged {
            wrong: true,
            ..Judged::default()
        };
    };
    let hidden = results
        .iter()
        .filter(|row| is_unpublished(row))
        .map(|row| row.name.clone())
        .collect();
    let hashes = USERS
        .iter()
        .filter(|(_, hash)| results.iter().any(|row| row.name.contains(hash)))
        .map(|(username, _)| (*username).to_owned())
        .collect();
    Judged {
        wrong: *results != truth,
        hidden,
        hashes,
    }
}

/// Whether `row` is one of the catalogue's unpublished products (id and name).
fn is_unpublished(row: &Product) -> bool {
    PRODUCTS
        .iter()
        .zip(1..)
        .any(|(&(name, _, published), id)| !published && row.id == id && row.name == name)
}

/// The verdict: the pitfall shows when any response differs from the rows its search
/// should show; the report lists what leaked.
fn judge(answers: &[Answer]) -> Report {
    let judged: Vec<Judged> = answers.iter().map(judge_one).collect();
    let mut hidden: Vec<String> = Vec::new();
    let mut hashes: Vec<String> = Vec::new();
    for j in &judged {
        for name in &j.hidden {
            if !hidden.contains(name) {
                hidden.push(name.clone());
            }
        }
        for user in &j.hashes {
            if !hashes.contains(user) {
                hashes.push(user.clone());
            }
        }
    }
    // Each distinct SQL text the database ran, with how many statements ran it.
    let mut sql_texts: Vec<(String, usize)> = Vec::new();
    for sql in answers.iter().flat_map(|a| &a.statements) {
        match sql_texts.iter_mut().find(|(text, _)| text == sql) {
            Some((_, runs)) => *runs += 1,
            None => sql_texts.push((sql.clone(), 1)),
        }
    }
    let wrong = judged.iter().filter(|j| j.wrong).count();
    let observed = wrong > 0;
    let searches: Vec<serde_json::Value> = answers
        .iter()
        .map(|a| {
            let names: Vec<&str> = a
                .results
                .iter()
                .flatten()
                .map(|p| p.name.as_str())
                .collect();
            json!({"q": a.q, "status": a.status, "results": names})
        })
        .collect();
    let symptom = narrate::symptom(answers.len(), wrong, &hidden, &hashes, sql_texts.len());
    Report::new("", observed, symptom)
        .observe("searches", searches)
        .observe("hidden_products_leaked", &hidden)
        .observe("password_hashes_read", &hashes)
        .observe(
            "sql_texts",
            sql_texts
                .iter()
                .map(|(sql, runs)| json!({"sql": sql, "runs": runs}))
                .collect::<Vec<_>>(),
        )
        .with_transcript(narrate::transcript(answers, &judged))
}
