//! The pitfall: the counter is incremented in the application, on the number the view
//! read, and that number is written back.
//!
//! The Django view this is:
//! ```text
//! article = Article.objects.get(pk=pk)   # read: views=41
//! article.views += 1                     # decide, in Python: 42
//! article.save()                         # UPDATE ... SET views = 42
//! ```

use lab_kit::db::{Db, DbError};

use crate::model::Article;

/// Counts one visit on the article the view has read.
pub fn count_visit(db: &mut dyn Db, article: &mut Article) -> Result<(), DbError> {
    // PITFALL: `article.views` is the number this request read, which another request may
    // have counted past since. Saving `views + 1` computed here writes that stale number
    // back over the other request's visit: two visits, one count (a lost update).
    article.views += 1;
    article.save(db)
}
