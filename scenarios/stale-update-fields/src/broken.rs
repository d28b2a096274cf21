//! The pitfall: a partial save that runs `pre_save()` for the listed fields only.

use rusqlite::Connection;

use crate::model::{Article, Clock, Field};

/// `article.save(update_fields=fields)`, the way Django does it: `pre_save()` runs for
/// each listed field, then one UPDATE writes exactly those columns. Written to make
/// edits cheaper ("only write what changed"), it is what the edit endpoint calls.
pub fn save_fields(
    conn: &Connection,
    clock: &Clock,
    article: &mut Article,
    fields: &[Field],
) -> rusqlite::Result<()> {
    // Django: `update_fields=[]` saves nothing at all.
    if fields.is_empty() {
        return Ok(());
    }
    // PITFALL: `auto_now` lives in `pre_save()`, and only the listed fields get it. An
    // edit that lists `body` leaves `updated_at` old in memory and in the row, so every
    // validator and cache key derived from it says "nothing changed".
    for &field in fields {
        article.pre_save(field, clock);
    }
    article.update_columns(conn, fields)
}
