//! The pitfall: the list view fetches the articles and nothing else, and the template
//! then reads two relations of every one of them.

use crate::model::ARTICLE_COLUMNS;
use crate::orm::{Article, Db};

/// `Article.objects.order_by("id")[:size]`, as Django 5.2 sends it (the Django twin
/// checks it): one SELECT of the articles' own columns.
pub fn articles(db: &Db, size: usize) -> rusqlite::Result<Vec<Article>> {
    // PITFALL: only the articles' own columns are read. The template then asks each
    // article for its author and its tags; an instance holding neither runs one query
    // for each, so a page of N articles costs 1 + 2N queries, and the view's code
    // never shows them.
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM app_article ORDER BY app_article.id ASC LIMIT {size}"
    );
    db.query(&sql, [], |row| Article::from_row(db, row))
}
