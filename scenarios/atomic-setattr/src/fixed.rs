//! The fix: the whole update in one transaction, `transaction.atomic()`.

use rusqlite::Connection;

use crate::model::{Article, Entry};

/// Applies the data map to the article and saves it.
pub fn update_article(
    conn: &Connection,
    article: &mut Article,
    data: &[Entry],
) -> rusqlite::Result<()> {
    // FIX: `with transaction.atomic():` - BEGIN before the first setter. The to-many
    // setters' writes now wait in this transaction (their own atomic() opens none inside
    // it), and any error on the way out of it - a refused value, or a foreign key checked
    // at COMMIT - rolls back every write together: all or nothing.
    let atomic = conn.unchecked_transaction()?;
    for entry in data {
        article.assign(&atomic, entry)?;
    }
    article.save(&atomic)?;
    atomic.commit()
}
