//! The property every safe page satisfies, runnable against any [`PageFn`].

use crate::browser;
use crate::model::{self, NewComment, PageFn};

/// Cases per property run: each one builds an in-memory table and parses a page.
pub const CASES: u32 = 256;

/// What generated authors and bodies are made of (a proptest regex): the characters that
/// mean something in HTML, and fragments of tags, event handlers and comments.
pub const TEXT: &str = "(<|>|\"|'|&|=|/| |a|x|script|img|onerror|!--){0,8}";

/// Comments from generated `(author, body)` pairs.
pub fn posts(pairs: Vec<(String, String)>) -> Vec<NewComment> {
    pairs
        .into_iter()
        .map(|(author, body)| NewComment { author, body })
        .collect()
}

/// Storing `posts` and writing the page with `page` gives a page whose DOM holds exactly
/// the template's own elements (no injected element, no `on*` attribute), shows every
/// comment's author and body as typed, and carries them intact in its JSON data block.
pub fn page_is_inert_and_as_typed(page: PageFn, posts: &[NewComment]) -> Result<(), String> {
    let conn = model::database().map_err(|e| format!("the table could not be built: {e}"))?;
    for post in posts {
        model::insert(&conn, post).map_err(|e| format!("a comment was not stored: {e}"))?;
    }
    let comments = model::comments(&conn).map_err(|e| format!("the comments: {e}"))?;
    let html = page(&comments).map_err(|e| format!("the page failed: {e}"))?;
    let facts = browser::inspect(&html, &comments);
    if let Some(tag) = facts.injected.first() {
        return Err(format!(
            "the DOM holds an element the template never wrote: {tag}"
        ));
    }
    if let Some(handler) = facts.event_handlers.first() {
        return Err(format!("the DOM holds an event handler: {handler}"));
    }
    for (comment, shown) in comments.iter().zip(&facts.shown) {
        if !shown.is(comment) {
            return Err(format!(
                "comment {} was typed as author {:?}, body {:?}; the page shows {}",
                comment.id,
                comment.author,
                comment.body,
                shown.describe()
            ));
        }
    }
    if !facts.json_block_matches {
        return Err("the JSON data block does not parse to the stored comments".into());
    }
    Ok(())
}
