//! Runs a variant: the app on loopback over a fresh SQLite table, every seeded comment
//! posted over real HTTP, the page fetched, and the page judged the way a browser builds
//! it (`browser`), against the comments as they were typed.

use lab_kit::{Report, Transcript};
use reqwest::header::CONTENT_TYPE;
use serde_json::json;

use crate::app;
use crate::browser::{self, PageFacts};
use crate::model::{self, Comment, PageFn, Post, SEED};

/// What the visitors did and what came back.
#[derive(Debug)]
struct Visit {
    /// Each post, the status it got and the comment as stored (its id from the answer).
    posts: Vec<(Post, u16, Comment)>,
    status: u16,
    page: String,
}

/// Posts the seeded comments, fetches the page written by `page`, and reports whatever
/// the browser finds in it that the template did not write. The pitfall shows if the DOM
/// holds an element or an event-handler attribute that came from a comment.
pub fn run(page: PageFn) -> lab_kit::Result<Report> {
    let conn = model::database()?;
    let visit = lab_kit::http::block_on(visit(conn, page))??;
    if visit.status != 200 {
        return Err(lab_kit::Error::scenario(format!(
            "GET /comments answered {}: {}",
            visit.status, visit.page
        )));
    }
    let comments: Vec<Comment> = visit.posts.iter().map(|(_, _, c)| c.clone()).collect();
    let facts = browser::inspect(&visit.page, &comments);
    Ok(judge(&visit, &comments, &facts))
}

async fn visit(conn: rusqlite::Connection, page: PageFn) -> lab_kit::Result<Visit> {
    let server = lab_kit::http::serve(app::router(conn, page)).await?;
    let client = lab_kit::http::client();
    let mut posts = Vec::new();
    for post in SEED {
        let comment = post.new_comment();
        let response = client
            .post(server.url("/comments"))
            .header(CONTENT_TYPE, "application/json")
            .body(serde_json::to_string(&comment).map_err(lab_kit::Error::scenario)?)
            .send()
            .await?;
        let status = response.status().as_u16();
        let answer = response.text().await?;
        let id = answer.parse().map_err(|_| {
            lab_kit::Error::scenario(format!("POST /comments answered {status}: {answer}"))
        })?;
        let stored = Comment {
            id,
            author: comment.author,
            body: comment.body,
        };
        posts.push((post, status, stored));
    }
    let response = client.get(server.url("/comments")).send().await?;
    let status = response.status().as_u16();
    let page = response.text().await?;
    server.shutdown().await?;
    Ok(Visit {
        posts,
        status,
        page,
    })
}

/// The verdict and the story, from what the browser found.
fn judge(visit: &Visit, comments: &[Comment], facts: &PageFacts) -> Report {
    let mut transcript = Transcript::new();
    for (post, status, comment) in &visit.posts {
        let sent = json!({"author": comment.author, "body": comment.body});
        transcript.push(
            post.who,
            format!(
                "POST /comments {sent} -> {status}, comment {} ({})",
                comment.id, post.aims_at
            ),
        );
    }
    transcript.push("app", model::SELECT_SQL);
    transcript.push(
        "browser",
        format!(
            "GET /comments -> {}, {} bytes, parsed by html5ever",
            visit.status,
            visit.page.len()
        ),
    );
    let mut as_typed = 0;
    for (comment, shown) in comments.iter().zip(&facts.shown) {
        if shown.is(comment) {
            as_typed += 1;
            continue;
        }
        let line = format!("comment {} shows {}", comment.id, shown.describe());
        transcript.push("browser", line);
    }
    transcript.push(
        "browser",
        format!(
            "{as_typed} of {} comments read back as typed; the DOM holds {} elements, {} of them not the template's",
            comments.len(),
            facts.elements,
            facts.injected.len()
        ),
    );
    for (tag, parent) in facts.injected.iter().zip(&facts.injected_in) {
        let line = format!("an element the template never wrote, in <{parent}>: {tag}");
        transcript.push("browser", line);
    }
    for handler in &facts.event_handlers {
        transcript.push("browser", format!("runs script: {handler}"));
    }
    let block = match (&facts.json_block, facts.json_block_matches) {
        (_, true) => "script#comment-data parses to the stored comments".to_owned(),
        (None, false) => "the page has no script#comment-data".to_owned(),
        (Some(text), false) => format!(
            "script#comment-data does not parse to the stored comments; it ends with {:?}",
            tail(text, 40)
        ),
    };
    transcript.push("browser", block);
    let observed = !facts.injected.is_empty() || !facts.event_handlers.is_empty();
    let symptom = if observed {
        format!(
            "the comment page holds {} elements and {} event handlers that the template never wrote: the attacker's comments run script in every reader's browser",
            facts.injected.len(),
            facts.event_handlers.len()
        )
    } else {
        format!(
            "the page holds only the template's own elements, and {as_typed} of {} comments read back exactly as typed",
            comments.len()
        )
    };
    Report::new("", observed, symptom)
        // The input, so the Django twin stores exactly these comments.
        .observe("comments", comments)
        .observe("injected", &facts.injected)
        .observe("event_handlers", &facts.event_handlers)
        .observe("comments_shown_as_typed", as_typed)
        .observe("json_block_matches", facts.json_block_matches)
        .with_transcript(transcript)
}

/// The last `n` characters of `text`.
fn tail(text: &str, n: usize) -> &str {
    let start = text
        .char_indices()
        .rev()
        .nth(n.saturating_sub(1))
        .map_or(0, |(i, _)| i);
    &text[start..]
}
