//! One variant's run: its world (a SQLite file, the app on loopback), the story told over
//! real HTTP, and the verdict - what each reader displays against the row as a separate
//! connection reads it.

mod narrate;
mod story;
pub(crate) mod world;

use lab_kit::Report;
use serde_json::json;

use crate::browser::Exchange;
use crate::guard;
use crate::model::{PartialSave, time_of_day};
use story::Story;

/// Why a run could not finish its story.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// The seed article disappeared from the database.
    #[error("article {0} is gone from the database")]
    ArticleGone(i64),
    /// The edit endpoint answered something that is not the saved article.
    #[error("the edit answered {status} {body:?}, which is not an article")]
    NotAnArticle {
        status: u16,
        body: String,
        #[source]
        source: serde_json::Error,
    },
}

/// Runs the story with `save` behind the edit endpoint and reports what every reader saw
/// beside what the row holds.
pub fn run(name: &str, save: PartialSave) -> lab_kit::Result<Report> {
    let story = lab_kit::http::block_on(story::tell(save))??;
    Ok(judge(name, story))
}

/// The verdict and its evidence. A reader is stale when what it displays differs from
/// the row the observer connection read after the edit: the pitfall is computed from what
/// HTTP returned, never from the variant's name.
fn judge(name: &str, story: Story) -> Report {
    let Story {
        transcript,
        mut labels,
        seed,
        first,
        edit,
        edit_sql,
        saved,
        row,
        again,
        fresh,
    } = story;
    let stored = row.render();
    let stale: Vec<&str> = [("browser", &again), ("visitor", &fresh)]
        .into_iter()
        .filter(|(_, x)| x.displayed != stored)
        .map(|(who, _)| who)
        .collect();
    let updates: Vec<&String> = edit_sql
        .iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect();
    // The columns each UPDATE wrote: what Django's own SQL is compared on (its quoting
    // and placeholders differ, the columns must not).
    let update_columns: Vec<Vec<String>> = updates
        .iter()
        .filter_map(|sql| guard::updated_columns(sql))
        .map(|(_, columns)| columns)
        .collect();
    Report::new(name, !stale.is_empty(), symptom(&stale, &again, &fresh))
        // The story's input, so the Django twin replays exactly this article and edit.
        .observe(
            "story",
            json!({
                "created": {
                    "title": seed.title,
                    "body": seed.body,
                    "updated_at_micros": seed.updated_at,
                },
                "edit": edit,
            }),
        )
        .observe("update_sql", updates)
        .observe("update_columns", update_columns)
        .observe(
            "updated_at",
            json!({
                "before_edit": time_of_day(seed.updated_at),
                "in_memory_after_save": time_of_day(saved.updated_at),
                "row_after_save": time_of_day(row.updated_at),
            }),
        )
        .observe(
            "validators",
            json!({
                "etag_before": labels.of(first.etag.as_deref()),
                "etag_after": labels.of(fresh.etag.as_deref()),
                "last_modified_before": first.last_modified,
                "last_modified_after": fresh.last_modified,
            }),
        )
        .observe(
            "revalidation",
            json!({
                "sent_if_none_match": labels.of(again.if_none_match.as_deref()),
                "status": again.status,
                "page_cache": again.page_cache,
                "browser_displays": again.displayed,
                "row_holds": stored,
            }),
        )
        .observe(
            "new_visitor",
            json!({
                "status": fresh.status,
                "page_cache": fresh.page_cache,
                "displays": fresh.displayed,
                "row_holds": stored,
            }),
        )
        .observe("stored_body", &stored)
        .observe("stale_readers", &stale)
        .observe("guard_findings", guard::audit(&edit_sql))
        .with_transcript(transcript)
}

fn symptom(stale: &[&str], again: &Exchange, fresh: &Exchange) -> String {
    if stale.is_empty() {
        return format!(
            "after the edit the browser gets {} with the new article, and a new visitor sees it too",
            again.status
        );
    }
    let mut parts = Vec::new();
    if stale.contains(&"browser") {
        parts.push(format!(
            "the browser got {} and still shows the old article",
            again.status
        ));
    }
    if stale.contains(&"visitor") {
        let from = fresh.page_cache.as_deref().unwrap_or("no");
        parts.push(format!(
            "a new visitor gets the old page (page cache {from})"
        ));
    }
    format!("the edit was saved, but {}", parts.join(", and "))
}
