//! `F("views") + 1`: the UPDATE adds one to the number the row holds when it runs; then
//! the instance is refreshed, so the expression is not sent again.

use lab_kit::db::{Db, DbError};

use crate::model::{Article, F};

/// Counts one visit on the article the view has read.
pub fn count_visit(db: &mut dyn Db, article: &mut Article) -> Result<(), DbError> {
    // FIX: the instance holds an expression, and save() sends `views = (views + 1)`: the
    // database evaluates it against the row as it is at that moment, whoever counted last.
    article.views = F::new("views") + 1;
    article.save(db)?;
    // FIX: save() leaves the expression on the instance, and every later save() of this
    // instance would send it again - one visit counted twice. Reading the row back puts
    // the number there instead (and the page shows it).
    article.refresh_from_db(db)
}
