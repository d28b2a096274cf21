//! Fix 1: the author joined onto the articles' rows (`select_related("author")`); the
//! tags, a to-many relation no join row can hold, in one more query for the page.

use std::collections::HashMap;

use rusqlite::params_from_iter;

use crate::model::ARTICLE_COLUMNS;
use crate::orm::{Article, Author, Db, Tag};

/// `Article.objects.select_related("author").prefetch_related("tags")
/// .order_by("id")[:size]`, as Django 5.2 sends it: two queries for any page size.
pub fn articles(db: &Db, size: usize) -> rusqlite::Result<Vec<Article>> {
    let sql = format!(
        // FIX: the author's columns ride on each article's row, through an INNER JOIN
        // (the foreign key is NOT NULL): one row per article, no query per author.
        "SELECT {ARTICLE_COLUMNS}, app_author.id, app_author.name FROM app_article INNER JOIN app_author ON (app_article.author_id = app_author.id) ORDER BY app_article.id ASC LIMIT {size}"
    );
    let articles = db.query(&sql, [], |row| {
        let article = Article::from_row(db, row)?;
        article.set_cached_author(Author {
            id: row.get(3)?,
            name: row.get(4)?,
        });
        Ok(article)
    })?;
    // FIX: the tags cannot ride on one row (an article has many): one query fetches
    // them for every article on the page, and each instance stores its own list.
    cache_tags(db, &articles)?;
    Ok(articles)
}

/// Every article's tags in one query, `article_id IN (...)`, stored per article (an
/// article without tags stores an empty list: it must not query either).
fn cache_tags(db: &Db, articles: &[Article]) -> rusqlite::Result<()> {
    // Django runs no batch for an empty page.
    if articles.is_empty() {
        return Ok(());
    }
    let marks = vec!["?"; articles.len()].join(", ");
    let sql = format!(
        "SELECT (app_article_tags.article_id) AS _prefetch_related_val_article_id, app_tag.id, app_tag.name FROM app_tag INNER JOIN app_article_tags ON (app_tag.id = app_article_tags.tag_id) WHERE app_article_tags.article_id IN ({marks}) ORDER BY app_tag.name ASC"
    );
    let rows = db.query(&sql, params_from_iter(articles.iter().map(|a| a.id)), |r| {
        let tag = Tag {
            id: r.get(1)?,
            name: r.get(2)?,
        };
        Ok((r.get::<_, i64>(0)?, tag))
    })?;
    let mut by_article: HashMap<i64, Vec<Tag>> = HashMap::new();
    for (article, tag) in rows {
        by_article.entry(article).or_default().push(tag);
    }
    for article in articles {
        article.set_cached_tags(by_article.remove(&article.id).unwrap_or_default());
    }
    Ok(())
}
