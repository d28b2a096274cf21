//! The pitfall: a generic update helper assigns every field of the data map in a loop and
//! saves at the end, with no transaction around it.
//!
//! The Django helper this is (DRF's `ModelSerializer.update()` is the same kind of loop):
//! ```text
//! for field, value in data.items():
//!     if field in ("tags", "authors"):    # Django refuses `article.tags = ids`
//!         getattr(article, field).set(value)
//!     else:
//!         setattr(article, field, value)
//! article.save()
//! ```

use rusqlite::Connection;

use crate::model::{Article, Entry};

/// Applies the data map to the article and saves it.
pub fn update_article(
    conn: &Connection,
    article: &mut Article,
    data: &[Entry],
) -> rusqlite::Result<()> {
    for entry in data {
        // PITFALL: the setter of a to-many field writes and commits right here, in
        // Django's autocommit, before the other fields are even assigned. When a later
        // value is refused - by its own setter, or by save() below - the error stops the
        // update, but what was committed stays: half the changes are stored.
        article.assign(conn, entry)?;
    }
    article.save(conn)
}
