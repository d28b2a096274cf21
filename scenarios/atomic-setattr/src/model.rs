//! What every variant shares: the blog's tables (an article, its tags, its authors), the
//! seed, the data map an API client sends, a small model layer in Django's image whose
//! to-many setters write at once, the ONE variant type, and the state read back.

use rusqlite::{Connection, params};
use serde::Serialize;

/// The article every story edits.
pub const ARTICLE: i64 = 1;

/// The one signature every variant has: apply `data` to `article`, field by field, and
/// save it. `broken.rs` and the fix export one, `update_article`.
pub type UpdateFn = fn(&Connection, &mut Article, &[Entry]) -> rusqlite::Result<()>;

/// The tables Django creates for `Article(title, rating, tags -> Tag, authors -> Author)`
/// with two `CheckConstraint`s, and the seed: "Draft", rated 3, tagged django and sqlite,
/// written by ann. Django's foreign keys on SQLite are checked at commit.
pub const SCHEMA: &str = "
CREATE TABLE blog_tag (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, name varchar(30) NOT NULL);
CREATE TABLE blog_author (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, name varchar(30) NOT NULL);
CREATE TABLE blog_article (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    title varchar(100) NOT NULL,
    rating integer NOT NULL,
    CONSTRAINT title_not_empty CHECK (NOT (title = '')),
    CONSTRAINT rating_0_to_5 CHECK ((rating >= 0 AND rating <= 5))
);
CREATE TABLE blog_article_tags (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    article_id bigint NOT NULL REFERENCES blog_article (id) DEFERRABLE INITIALLY DEFERRED,
    tag_id bigint NOT NULL REFERENCES blog_tag (id) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (article_id, tag_id)
);
CREATE TABLE blog_article_authors (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    article_id bigint NOT NULL REFERENCES blog_article (id) DEFERRABLE INITIALLY DEFERRED,
    author_id bigint NOT NULL REFERENCES blog_author (id) DEFERRABLE INITIALLY DEFERRED,
    UNIQUE (article_id, author_id)
);
INSERT INTO blog_tag (id, name) VALUES (1, 'django'), (2, 'sqlite'), (3, 'rust');
INSERT INTO blog_author (id, name) VALUES (1, 'ann'), (2, 'bob');
INSERT INTO blog_article (id, title, rating) VALUES (1, 'Draft', 3);
INSERT INTO blog_article_tags (article_id, tag_id) VALUES (1, 1), (1, 2);
INSERT INTO blog_article_authors (article_id, author_id) VALUES (1, 1);
";

/// A fresh in-memory blog with the seed article.
pub fn blog() -> rusqlite::Result<Connection> {
    let conn = lab_kit::sqlite::memory()?;
    conn.execute_batch(SCHEMA)?;
    Ok(conn)
}

/// One `field: value` of the data map, as the client sent it (a to-many field as ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Title(String),
    Rating(i64),
    Tags(Vec<i64>),
    Authors(Vec<i64>),
}

impl Entry {
    /// The field's name, as the data map spells it.
    pub fn field(&self) -> &'static str {
        match self {
            Self::Title(_) => "title",
            Self::Rating(_) => "rating",
            Self::Tags(_) => "tags",
            Self::Authors(_) => "authors",
        }
    }

    /// `[field, value]`, for reports (a list of them keeps the client's order).
    pub fn to_json(&self) -> serde_json::Value {
        let value = match self {
            Self::Title(t) => serde_json::json!(t),
            Self::Rating(r) => serde_json::json!(r),
            Self::Tags(ids) | Self::Authors(ids) => serde_json::json!(ids),
        };
        serde_json::json!([self.field(), value])
    }
}

/// One `Article` instance: its columns as read, and as the code has set them since.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Article {
    pub id: i64,
    pub title: String,
    pub rating: i64,
}

impl Article {
    /// `Article.objects.get(pk=id)`.
    pub fn get(conn: &Connection, id: i64) -> rusqlite::Result<Self> {
        let sql = "SELECT id, title, rating FROM blog_article WHERE id = ?1";
        conn.query_row(sql, [id], |r| {
            Ok(Self {
                id: r.get(0)?,
                title: r.get(1)?,
                rating: r.get(2)?,
            })
        })
    }

    /// One field of a generic update helper: a column is set on the instance
    /// (`setattr(article, field, value)`) and waits for `save()`; a to-many field has no
    /// column - Django refuses `article.tags = ids` - so the helper replaces the set in the
    /// database now, `article.tags.set(ids)`, as a property's setter would.
    pub fn assign(&mut self, conn: &Connection, entry: &Entry) -> rusqlite::Result<()> {
        match entry {
            Entry::Title(title) => self.title.clone_from(title),
            Entry::Rating(rating) => self.rating = *rating,
            Entry::Tags(ids) => replace_set(conn, "blog_article_tags", "tag_id", self.id, ids)?,
            Entry::Authors(ids) => {
                replace_set(conn, "blog_article_authors", "author_id", self.id, ids)?;
            }
        }
        Ok(())
    }

    /// `article.save()`: one UPDATE of the columns from the instance.
    pub fn save(&self, conn: &Connection) -> rusqlite::Result<()> {
        let sql = "UPDATE blog_article SET title = ?1, rating = ?2 WHERE id = ?3";
        conn.execute(sql, params![self.title, self.rating, self.id])
            .map(|_| ())
    }
}

/// Django's `ManyRelatedManager.set(ids)`: remove the ids that are not wanted, add the
/// missing ones, inside `atomic(savepoint=False)` - a transaction of its own, committed
/// at once, when none is open; nothing of its own inside one. A foreign key that names no
/// row fails at that commit (the set is rolled back), or at the enclosing one.
fn replace_set(
    conn: &Connection,
    table: &str,
    column: &str,
    article: i64,
    ids: &[i64],
) -> rusqlite::Result<()> {
    let own = conn.is_autocommit();
    if own {
        conn.execute_batch("BEGIN")?;
    }
    let list = ids
        .iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ");
    let writes = || -> rusqlite::Result<()> {
        conn.execute(
            &format!("DELETE FROM {table} WHERE article_id = ?1 AND {column} NOT IN ({list})"),
            [article],
        )?;
        if !ids.is_empty() {
            let rows: Vec<String> = ids.iter().map(|id| format!("({article}, {id})")).collect();
            conn.execute_batch(&format!(
                "INSERT OR IGNORE INTO {table} (article_id, {column}) VALUES {}",
                rows.join(", ")
            ))?;
        }
        if own {
            conn.execute_batch("COMMIT")?;
        }
        Ok(())
    };
    let written = writes();
    if written.is_err() && own {
        // What atomic() does on the way out of an error; the error is what counts.
        let _ = conn.execute_batch("ROLLBACK");
    }
    written
}

/// The article and its relations as the database holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct State {
    pub title: String,
    pub rating: i64,
    pub tags: Vec<i64>,
    pub authors: Vec<i64>,
}

impl State {
    /// Reads the article's row and both sets (ids in order).
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let ids = |table: &str, column: &str| -> rusqlite::Result<Vec<i64>> {
            let sql = format!("SELECT {column} FROM {table} WHERE article_id = ?1 ORDER BY 1");
            let mut stmt = conn.prepare(&sql)?;
            stmt.query_map([ARTICLE], |r| r.get(0))?.collect()
        };
        let article = Article::get(conn, ARTICLE)?;
        Ok(Self {
            title: article.title,
            rating: article.rating,
            tags: ids("blog_article_tags", "tag_id")?,
            authors: ids("blog_article_authors", "author_id")?,
        })
    }

    /// The truth of what `data` asks for, computed without a database: this state with
    /// every entry applied.
    pub fn with(&self, data: &[Entry]) -> Self {
        let mut out = self.clone();
        let sorted = |ids: &[i64]| {
            let mut ids = ids.to_vec();
            ids.sort_unstable();
            ids.dedup();
            ids
        };
        for entry in data {
            match entry {
                Entry::Title(t) => out.title.clone_from(t),
                Entry::Rating(r) => out.rating = *r,
                Entry::Tags(ids) => out.tags = sorted(ids),
                Entry::Authors(ids) => out.authors = sorted(ids),
            }
        }
        out
    }
}
