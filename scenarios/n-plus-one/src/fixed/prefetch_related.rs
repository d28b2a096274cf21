//! Fix 2: every relation fetched for the whole page in one query of its own
//! (`prefetch_related("author", "tags")`): three queries for any page size.

use std::collections::HashMap;

use rusqlite::params_from_iter;

use crate::model::ARTICLE_COLUMNS;
use crate::orm::{Article, Author, Db, Tag};

/// `Article.objects.prefetch_related("author", "tags").order_by("id")[:size]`, as Django
/// 5.2 sends it: the articles, then one query per relation for all of them.
pub fn articles(db: &Db, size: usize) -> rusqlite::Result<Vec<Article>> {
    let sql = format!(
        "SELECT {ARTICLE_COLUMNS} FROM app_article ORDER BY app_article.id ASC LIMIT {size}"
    );
    let articles = db.query(&sql, [], |row| Article::from_row(db, row))?;
    // FIX: before the template reads anything, each relation is fetched for every
    // article of the page in one query, and stored on the instances.
    cache_authors(db, &articles)?;
    cache_tags(db, &articles)?;
    Ok(articles)
}

/// The page's authors in one query. Django 5.2 filters a foreign key's batch with its
/// tuple lookup, which on SQLite (no tuple lookups in Django's eyes) becomes one
/// `id = ?` per distinct author joined by OR, in the order the articles name them.
fn cache_authors(db: &Db, articles: &[Article]) -> rusqlite::Result<()> {
    let mut ids: Vec<i64> = Vec::new();
    for article in articles {
        if !ids.contains(&article.author_id) {
            ids.push(article.author_id);
        }
    }
    if ids.is_empty() {
        return Ok(());
    }
    let terms = vec!["app_author.id = ?"; ids.len()].join(" OR ");
    let filter = if ids.len() == 1 {
        terms
    } else {
        format!("({terms})")
    };
    let sql = format!("SELECT app_author.id, app_author.name FROM app_author WHERE {filter}");
    let authors: HashMap<i64, Author> = db
        .query(&sql, params_from_iter(ids), |r| {
            Ok(Author {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    for article in articles {
        if let Some(author) = authors.get(&article.author_id) {
            article.set_cached_author(author.clone());
        }
    }
    Ok(())
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
