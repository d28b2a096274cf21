//! One variant's story over real HTTP: read the article, edit it, read it again.

use lab_kit::{Report, Transcript};
use serde_json::json;

use crate::browser::{self, Browser, Exchange};
use crate::model::{Article, time_of_day};
use crate::narrate::{Labels, reason, record_get};
use crate::world::{self, World};
use crate::{Edit, PartialSave, guard};

/// How long after the article was created the editor saves: under a second, so the
/// edit lands in the same second as the creation (09:00:00.25 -> 09:00:00.60).
pub const EDIT_AFTER_MICROS: i64 = 350_000;
/// The body the editor saves.
pub const NEW_BODY: &str = "Second draft: ships on 4 March";

/// Runs the story with `save` behind the edit endpoint and reports what every reader saw
/// beside what the row holds.
pub fn run_variant(name: &str, save: PartialSave) -> lab_kit::Result<lab_kit::Report> {
    world::runtime()?.block_on(story(name, save))
}

async fn story(name: &str, save: PartialSave) -> lab_kit::Result<lab_kit::Report> {
    let world = World::start(save).await?;
    let (base, path) = (world.server.base_url(), world.path());
    let mut t = Transcript::new();
    let mut labels = Labels::default();
    let seed = world.row()?;
    t.push(
        "app",
        format!("Article.objects.create(): {}", seed.describe()),
    );

    let mut browser = Browser::new(base.clone());
    let first = browser.get(&path).await?;
    record_get(&mut t, "browser", &first, world.log.take(), &mut labels);

    world.clock.advance(EDIT_AFTER_MICROS);
    t.push("clock", format!("now {}", time_of_day(world.clock.now())));
    let edit = Edit {
        after_micros: EDIT_AFTER_MICROS,
        title: None,
        body: Some(NEW_BODY.to_owned()),
    };
    t.push("editor", format!("PATCH {path} {}", edit.json()));
    let (status, response) = browser::patch(&base, &path, &edit.json()).await?;
    let edit_sql = world.log.take();
    for sql in &edit_sql {
        t.push("db", sql);
    }
    let saved: Article = serde_json::from_str(&response).map_err(|e| {
        lab_kit::Error::Invalid(format!("the edit answered {status} {response}: {e}"))
    })?;
    t.push(
        "server",
        format!(
            "{} {}, the saved instance: {}",
            status,
            reason(status),
            saved.describe()
        ),
    );
    let row = world.row()?;
    t.push("db row", row.describe());

    let again = browser.get(&path).await?;
    record_get(&mut t, "browser", &again, world.log.take(), &mut labels);
    let fresh = Browser::new(base).get(&path).await?;
    record_get(&mut t, "visitor", &fresh, world.log.take(), &mut labels);
    world.stop().await?;

    let stored = row.render();
    let stale: Vec<&str> = [("browser", &again), ("visitor", &fresh)]
        .into_iter()
        .filter(|(_, x)| x.displayed != stored)
        .map(|(who, _)| who)
        .collect();
    let report = Report::new(name, !stale.is_empty(), symptom(&stale, &again, &fresh))
        .observe("update_sql", updates(&edit_sql))
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
        .with_transcript(t);
    Ok(report)
}

/// Replays `edits` against a fresh world with `save` behind the edit endpoint: after each
/// edit, the revalidating browser and a new visitor must both show what the row holds.
/// The inner `Err` names the first reader that did not.
pub(crate) async fn replay(
    save: PartialSave,
    edits: &[Edit],
) -> lab_kit::Result<Result<(), String>> {
    let world = World::start(save).await?;
    let (base, path) = (world.server.base_url(), world.path());
    let mut browser = Browser::new(base.clone());
    browser.get(&path).await?;
    let mut verdict = Ok(());
    'edits: for (i, edit) in edits.iter().enumerate() {
        world.clock.advance(edit.after_micros);
        let (status, response) = browser::patch(&base, &path, &edit.json()).await?;
        if status != 200 {
            verdict = Err(format!("edit {} answered {status}: {response}", i + 1));
            break;
        }
        let stored = world.row()?.render();
        let again = browser.get(&path).await?;
        let fresh = Browser::new(base.clone()).get(&path).await?;
        for (who, x) in [("the browser", &again), ("a new visitor", &fresh)] {
            if x.displayed != stored {
                verdict = Err(format!(
                    "after edit {} of {}: {who} got {} and shows {:?}; the row holds {stored:?}",
                    i + 1,
                    edits.len(),
                    x.status,
                    x.displayed,
                ));
                break 'edits;
            }
        }
    }
    world.stop().await?;
    Ok(verdict)
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

fn updates(statements: &[String]) -> Vec<&String> {
    statements
        .iter()
        .filter(|s| s.starts_with("UPDATE"))
        .collect()
}
