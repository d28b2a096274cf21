//! The words of a report: the symptom, the transcript, statements grouped by their text.

use lab_kit::Transcript;

use super::world::Page;
use crate::model::Dataset;

/// `1 article`, `10 articles`.
pub(super) fn articles(n: usize) -> String {
    if n == 1 {
        "1 article".to_owned()
    } else {
        format!("{n} articles")
    }
}

/// Each distinct statement with how many times it ran, in order of first appearance.
pub(super) fn shapes(statements: &[String]) -> Vec<(usize, String)> {
    let mut shapes: Vec<(usize, String)> = Vec::new();
    for sql in statements {
        match shapes.iter_mut().find(|(_, s)| s == sql) {
            Some((times, _)) => *times += 1,
            None => shapes.push((1, sql.clone())),
        }
    }
    shapes
}

/// `3, 21 and 101 queries for 1, 10 and 50 articles`.
fn counts(pages: &[Page]) -> String {
    let join = |items: Vec<String>| match items.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => items.concat(),
    };
    format!(
        "{} queries for {} articles",
        join(
            pages
                .iter()
                .map(|p| p.statements.len().to_string())
                .collect()
        ),
        join(pages.iter().map(|p| p.size.to_string()).collect())
    )
}

/// What a user (or the on-call engineer reading the query log) would say.
pub(super) fn symptom(observed: bool, pages: &[Page]) -> String {
    if observed {
        let (first, last) = (&pages[0], &pages[pages.len() - 1]);
        let added = last.statements.len().saturating_sub(first.statements.len());
        let span = last.size.saturating_sub(first.size).max(1);
        let more = if added % span == 0 {
            format!("{} more", added / span)
        } else {
            "more".to_owned()
        };
        format!(
            "the article list gets slower as it grows: {}, {more} for every article shown",
            counts(pages)
        )
    } else {
        format!(
            "the article list costs the same at any size: {}, the same page",
            counts(pages)
        )
    }
}

/// The seed, then each request: the statements it ran (grouped, with how often each
/// ran) and what came back.
pub(super) fn transcript(data: &Dataset, pages: &[Page]) -> Transcript {
    let mut t = Transcript::new();
    t.push(
        "app",
        format!(
            "seed: {} by {} authors, {} tags; the template shows each article's title, author and tags",
            articles(data.articles.len()),
            data.authors.len(),
            data.tags.len()
        ),
    );
    for page in pages {
        t.push("browser", format!("GET /articles?size={}", page.size));
        for (times, sql) in shapes(&page.statements) {
            t.push("db", format!("{times} x {sql}"));
        }
        t.push(
            "server",
            format!(
                "{} OK, {} bytes of HTML listing {}, after {} queries; the page matches the data",
                page.status,
                page.body.len(),
                articles(page.size.min(data.articles.len())),
                page.statements.len()
            ),
        );
    }
    t.push("app", counts(pages));
    t
}
