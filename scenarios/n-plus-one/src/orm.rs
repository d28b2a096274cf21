//! Model instances as Django's behave in a template: an article holds its own columns,
//! and reading `article.author` or `article.tags.all` runs a query unless the list that
//! fetched the article already stored the related rows on the instance.

use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use minijinja::value::{Object, Serde, Value};
use minijinja::{Error, ErrorKind};
use rusqlite::{Connection, Params, Row};
use serde::Serialize;

use crate::model::{AUTHOR_OF_ARTICLE, TAGS_OF_ARTICLE};

/// The app's one database connection, shared by the list view and every instance it
/// returns (Django's `connection`): instances query through it when the template reads
/// a relation they do not hold.
#[derive(Debug, Clone)]
pub struct Db {
    conn: Arc<Mutex<Connection>>,
}

impl Db {
    /// Shares `conn`.
    pub fn new(conn: Connection) -> Self {
        Self {
            conn: Arc::new(Mutex::new(conn)),
        }
    }

    /// Runs `sql` with `params` and maps every row: one statement, one round trip.
    pub fn query<T, P: Params>(
        &self,
        sql: &str,
        params: P,
        map: impl FnMut(&Row<'_>) -> rusqlite::Result<T>,
    ) -> rusqlite::Result<Vec<T>> {
        let conn = self.conn.lock().unwrap_or_else(PoisonError::into_inner);
        let mut stmt = conn.prepare(sql)?;
        stmt.query_map(params, map)?.collect()
    }
}

/// An author row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Author {
    pub id: i64,
    pub name: String,
}

/// A tag row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Tag {
    pub id: i64,
    pub name: String,
}

/// One article instance: its columns, and the related rows it holds once something
/// stored them (Django's `_state.fields_cache` for the author, the instance's cache of
/// related lists for the tags).
#[derive(Debug)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub author_id: i64,
    db: Db,
    author: OnceLock<Author>,
    tags: OnceLock<Vec<Tag>>,
}

impl Article {
    /// An instance from a row whose first columns are `id, title, author_id`
    /// ([`crate::model::ARTICLE_COLUMNS`]); it holds no related rows yet.
    pub fn from_row(db: &Db, row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            title: row.get(1)?,
            author_id: row.get(2)?,
            db: db.clone(),
            author: OnceLock::new(),
            tags: OnceLock::new(),
        })
    }

    /// Stores the author on the instance, so `article.author` runs no query.
    pub fn set_cached_author(&self, author: Author) {
        // A second store keeps the first: the same row either way.
        let _ = self.author.set(author);
    }

    /// Stores the tag list on the instance, so `article.tags.all` runs no query.
    pub fn set_cached_tags(&self, tags: Vec<Tag>) {
        let _ = self.tags.set(tags);
    }

    /// `article.author`: the stored author, or one query for it (then stored).
    pub fn author(&self) -> rusqlite::Result<Author> {
        if let Some(author) = self.author.get() {
            return Ok(author.clone());
        }
        let found = self.db.query(AUTHOR_OF_ARTICLE, [self.author_id], |r| {
            Ok(Author {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        let author = found
            .into_iter()
            .next()
            .ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        self.set_cached_author(author.clone());
        Ok(author)
    }

    /// `article.tags.all`: the stored tag list, or one query for it (then stored).
    pub fn tags(&self) -> rusqlite::Result<Vec<Tag>> {
        if let Some(tags) = self.tags.get() {
            return Ok(tags.clone());
        }
        let tags = self.db.query(TAGS_OF_ARTICLE, [self.id], |r| {
            Ok(Tag {
                id: r.get(0)?,
                name: r.get(1)?,
            })
        })?;
        self.set_cached_tags(tags.clone());
        Ok(tags)
    }
}

/// A query's failure inside the template: the render stops with it.
fn failed(what: &str, error: &rusqlite::Error) -> Value {
    Value::from(Error::new(
        ErrorKind::InvalidOperation,
        format!("loading {what}: {error}"),
    ))
}

/// What the template sees: `article.title`, `article.author.name`, `article.tags.all`.
/// The related rows are read only when the template asks, as in Django.
impl Object for Article {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        match key.as_str()? {
            "id" => Some(Value::from(self.id)),
            "title" => Some(Value::from(self.title.clone())),
            "author_id" => Some(Value::from(self.author_id)),
            "author" => Some(match self.author() {
                Ok(author) => Value::from(Serde(author)),
                Err(e) => failed("the author", &e),
            }),
            "tags" => Some(Value::from_object(TagManager(Arc::clone(self)))),
            _ => None,
        }
    }
}

/// `article.tags`: Django's related manager, whose `all` is the tag list.
#[derive(Debug)]
struct TagManager(Arc<Article>);

impl Object for TagManager {
    fn get_value(self: &Arc<Self>, key: &Value) -> Option<Value> {
        (key.as_str()? == "all").then(|| match self.0.tags() {
            Ok(tags) => Value::from(Serde(tags)),
            Err(e) => failed("the tags", &e),
        })
    }
}
