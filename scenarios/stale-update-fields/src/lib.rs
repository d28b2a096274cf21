//! A partial save (`save(update_fields=[...])`) writes the changed columns but not
//! `updated_at`, so the ETag, `Last-Modified` and page cache built on it never move: the
//! browser gets `304 Not Modified` and new visitors get the cached page, both stale.
//!
//! Run with:
//! - `cargo test -p stale-update-fields`
//! - `cargo run -- run stale-update-fields`

pub mod app;
pub mod broken;
pub mod browser;
pub mod fixed;
pub mod guard;
pub mod model;
mod narrate;
pub mod story;
pub mod validators;
pub mod world;

use lab_kit::{Difficulty, Role, Scenario, Tag, Variant};
use rusqlite::Connection;
use serde::Serialize;

use model::{Article, Clock, Field};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "stale-update-fields",
    title: "Partial saves leave updated_at behind and caches serve stale pages",
    question: "Why do clients keep seeing old content after updates started saving only the changed fields?",
    tags: &[Tag::Sqlite, Tag::Http, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || story::run_variant("broken", broken::save_fields),
        },
        Variant {
            name: "fixed",
            role: Role::Fix,
            needs: &[],
            run: || story::run_variant("fixed", fixed::save_fields),
        },
    ],
    bench: None,
};

/// One way of doing `article.save(update_fields=fields)`: the broken and the fixed
/// variant share this signature, and so must a candidate's answer to the homework.
pub type PartialSave = fn(&Connection, &Clock, &mut Article, &[Field]) -> rusqlite::Result<()>;

/// One edit sent to `PATCH /articles/{id}`: the fields it changes, after a pause.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edit {
    /// Microseconds the clock moves before the edit (at least 1).
    pub after_micros: i64,
    pub title: Option<String>,
    pub body: Option<String>,
}

impl Edit {
    /// The request body: only the fields the edit changes.
    pub fn json(&self) -> String {
        let mut fields = serde_json::Map::new();
        if let Some(title) = &self.title {
            fields.insert("title".into(), title.as_str().into());
        }
        if let Some(body) = &self.body {
            fields.insert("body".into(), body.as_str().into());
        }
        serde_json::Value::Object(fields).to_string()
    }
}

/// The property every correct partial save satisfies: after each of `edits`, sent over
/// real HTTP to an app whose edit endpoint uses `save`, a browser that revalidates its
/// cached copy and a first-time visitor both show what the row holds.
pub fn readers_see_the_row(save: PartialSave, edits: &[Edit]) -> Result<(), String> {
    let runtime = world::runtime().map_err(|e| e.to_string())?;
    runtime
        .block_on(story::replay(save, edits))
        .map_err(|e| format!("the run failed: {e}"))?
}
