//! The fix at the model layer: a partial save always includes the auto-now fields.

use rusqlite::Connection;

use crate::model::{Article, Clock, Field};

/// `article.save(update_fields=fields)` with every `auto_now` field added to the list, so
/// the model, not each caller, guarantees that a write moves `updated_at`. Callers keep
/// listing only what they changed. (The call-site form - listing `"updated_at"` at every
/// `save(update_fields=...)` - gives the same SQL, but each new call site can forget it.)
pub fn save_fields(
    conn: &Connection,
    clock: &Clock,
    article: &mut Article,
    fields: &[Field],
) -> rusqlite::Result<()> {
    // Nothing listed, nothing written: a no-op must not look like an edit either.
    if fields.is_empty() {
        return Ok(());
    }
    let mut fields = fields.to_vec();
    // FIX: a write that changes any column also writes the auto-now columns, so the
    // row's `updated_at` (and the ETag, Last-Modified and cache key built on it) moves.
    for auto_now in Field::AUTO_NOW {
        if !fields.contains(&auto_now) {
            fields.push(auto_now);
        }
    }
    for &field in &fields {
        article.pre_save(field, clock);
    }
    article.update_columns(conn, &fields)
}
