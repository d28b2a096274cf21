//! The `REGEXP` function Django's SQLite backend registers on every connection it opens:
//! SQLite parses `X REGEXP Y` but ships no function behind it, so without one every
//! statement that uses the operator fails with "no such function: REGEXP".

use std::sync::Arc;

use regex::Regex;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;

/// Registers `regexp(pattern, text)` on `conn`, which SQLite calls for `text REGEXP
/// pattern`. Like Django's `_sqlite_regexp`: NULL if either side is NULL, otherwise
/// whether the pattern matches anywhere in the text (a search, not a full match; anchor
/// it with `^...$`). Deterministic, so SQLite may use it wherever an expression must
/// always give the same answer; each statement compiles its pattern once.
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    conn.create_scalar_function(
        "regexp",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            // Django turns a non-text value into its text first (`str(value)`).
            let text = match ctx.get_raw(1) {
                ValueRef::Null => return Ok(None),
                ValueRef::Text(t) | ValueRef::Blob(t) => String::from_utf8_lossy(t).into_owned(),
                ValueRef::Integer(i) => i.to_string(),
                ValueRef::Real(f) => f.to_string(),
            };
            if matches!(ctx.get_raw(0), ValueRef::Null) {
                return Ok(None);
            }
            let pattern: Arc<Regex> = ctx.get_or_create_aux(0, |v| {
                Regex::new(v.as_str()?)
                    .map_err(|e| -> Box<dyn std::error::Error + Send + Sync> { Box::new(e) })
            })?;
            Ok(Some(pattern.is_match(&text)))
        },
    )
}
