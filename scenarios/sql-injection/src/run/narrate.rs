//! The words of a report: the symptom and the transcript.

use lab_kit::Transcript;

use super::Judged;
use super::world::Answer;
use crate::app::PATH;
use crate::model::{PRODUCTS, USERS};

/// What the shop's owner would say after reading the access log beside the database.
pub(super) fn symptom(
    searches: usize,
    wrong: usize,
    hidden: &[String],
    hashes: &[String],
    texts: usize,
) -> String {
    if wrong == 0 {
        return format!(
            "every one of the {searches} searches showed exactly the published products it matched, through {texts} SQL text"
        );
    }
    let mut said = format!("{wrong} of {searches} searches answered wrong");
    if !hidden.is_empty() {
        said.push_str(&format!(
            ": the search box listed {} unpublished products",
            hidden.len()
        ));
    }
    if !hashes.is_empty() {
        said.push_str(&format!(
            " and the password hashes of {} accounts ({})",
            hashes.len(),
            hashes.join(", ")
        ));
    }
    said
}

/// The shop, then each search: the request, the statements it ran, and what came back
/// beside what the search should show.
pub(super) fn transcript(answers: &[Answer], judged: &[Judged]) -> Transcript {
    let mut t = Transcript::new();
    let drafts = PRODUCTS.iter().filter(|p| !p.2).count();
    t.push(
        "app",
        format!(
            "shop_product: {} products, {drafts} of them unpublished; auth_user: {} accounts with password hashes",
            PRODUCTS.len(),
            USERS.len()
        ),
    );
    for (answer, judged) in answers.iter().zip(judged) {
        t.push(answer.who, format!("GET {PATH} with q = {:?}", answer.q));
        if answer.statements.is_empty() {
            t.push("db", "no statement ran");
        }
        for sql in &answer.statements {
            t.push("db", sql);
        }
        let Some(results) = &answer.results else {
            t.push(
                "server",
                format!("{}, an error instead of results", answer.status),
            );
            continue;
        };
        let names: Vec<&str> = results.iter().map(|p| p.name.as_str()).collect();
        let mut line = match names.len() {
            0 => format!("{}, no results", answer.status),
            n => format!("{}, {n} result(s): {}", answer.status, names.join(" | ")),
        };
        if !judged.hidden.is_empty() {
            line.push_str(&format!("; {} unpublished", judged.hidden.len()));
        }
        if !judged.hashes.is_empty() {
            line.push_str(&format!(
                "; password hashes of {}",
                judged.hashes.join(", ")
            ));
        }
        t.push("server", line);
    }
    t
}
