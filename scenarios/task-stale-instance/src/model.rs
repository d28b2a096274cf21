//! What every variant shares: the article and its table (with a trigger that records every
//! row version written), the seed, the two edits and the typesetting job's work, the truth
//! they must add up to, and the ONE variant type (`Task`).

use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

use crate::queue::Request;

/// The typesetting job as the app wires it: how the publish view hands it to the queue,
/// and the worker's two steps. `broken.rs` and the fix export one, `TYPESET`.
#[derive(Debug, Clone, Copy)]
pub struct Task {
    /// The publish view, inside its transaction, after saving `article`: hand the job to
    /// the queue ([`Request::send`] is `typeset.delay(...)`, [`Request::on_commit`] is
    /// `transaction.on_commit(...)`).
    pub enqueue: fn(&mut Request, &Article) -> rusqlite::Result<()>,
    /// The worker's first step: from the job's message, the article to work on.
    pub load: fn(&Connection, &str) -> Result<Article, TaskError>,
    /// The worker's second step: typeset the article's body and write it.
    pub save: fn(&Connection, Article) -> Result<(), TaskError>,
}

/// How a job can fail.
#[derive(Debug, thiserror::Error)]
pub enum TaskError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the message: {0}")]
    Message(#[from] serde_json::Error),
    #[error("article {0} is gone")]
    Missing(i64),
    #[error("the row kept changing: {0} writes in a row matched an old version")]
    Conflict(usize),
}

impl TaskError {
    /// SQLite's "database is locked": another connection holds the write lock.
    pub fn is_busy(&self) -> bool {
        matches!(self, Self::Sqlite(e) if lab_kit::sqlite::is_busy(e))
    }
}

/// One row of `blog_article`, as a model instance holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Article {
    pub id: i64,
    pub status: String,
    pub body: String,
    /// Bumped by every save, so an editor can tell that the row changed since it was read.
    pub version: i64,
}

impl Article {
    /// The row every story starts from: a draft, version 1.
    pub fn seed() -> Self {
        Self {
            id: ARTICLE,
            status: "draft".to_owned(),
            body: SEED_BODY.to_owned(),
            version: 1,
        }
    }
}

/// The article of the story.
pub const ARTICLE: i64 = 1;
/// Its body when the story starts: a typo for bob and a double hyphen for the typesetter.
pub const SEED_BODY: &str = "Teh desk lamp -- back in stock.";

/// The table Django creates for `Article(status, body, version)`, and the lab's witness: a
/// trigger that records every row version written, whoever wrote it.
pub const SCHEMA: &str = "
CREATE TABLE blog_article (id INTEGER PRIMARY KEY, status TEXT NOT NULL, body TEXT NOT NULL,
                           version INTEGER NOT NULL);
CREATE TABLE lab_article_write (version INTEGER NOT NULL, status TEXT NOT NULL,
                                body TEXT NOT NULL);
CREATE TRIGGER blog_article_written AFTER UPDATE ON blog_article
BEGIN INSERT INTO lab_article_write (version, status, body)
      VALUES (NEW.version, NEW.status, NEW.body); END;
";

/// Creates the table and the seed row: a draft, version 1.
pub fn seed(conn: &Connection) -> rusqlite::Result<Article> {
    conn.execute_batch(SCHEMA)?;
    let article = Article::seed();
    conn.execute(
        "INSERT INTO blog_article (id, status, body, version) VALUES (?1, ?2, ?3, ?4)",
        (article.id, &article.status, &article.body, article.version),
    )?;
    Ok(article)
}

/// The job's work: typographic dashes.
pub fn typeset(body: &str) -> String {
    body.replace(" -- ", " \u{2014} ")
}

/// Bob's edit: the typo fixed.
pub fn fix_typo(body: &str) -> String {
    body.replace("Teh ", "The ")
}

/// `Article.objects.get(pk=id)`.
pub fn get_article(conn: &Connection, id: i64) -> Result<Article, TaskError> {
    conn.query_row(
        "SELECT id, status, body, version FROM blog_article WHERE id = ?1",
        [id],
        |r| {
            Ok(Article {
                id: r.get(0)?,
                status: r.get(1)?,
                body: r.get(2)?,
                version: r.get(3)?,
            })
        },
    )
    .optional()?
    .ok_or(TaskError::Missing(id))
}

/// `article.save()`, where the app's `Article.save()` bumps `version` first: every field
/// of the instance is written, whatever the row holds now.
pub fn save_article(conn: &Connection, article: &mut Article) -> rusqlite::Result<()> {
    article.version += 1;
    conn.execute(
        "UPDATE blog_article SET status = ?1, body = ?2, version = ?3 WHERE id = ?4",
        (&article.status, &article.body, article.version, article.id),
    )?;
    Ok(())
}

/// Every row version the database recorded, oldest first: `v2 published: ...`.
pub fn history(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt =
        conn.prepare("SELECT version, status, body FROM lab_article_write ORDER BY rowid")?;
    let rows = stmt.query_map([], |r| {
        Ok(format!(
            "v{} {}: {}",
            r.get::<_, i64>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?
        ))
    })?;
    rows.collect()
}

/// What the row must hold once the story is over, computed from the edits alone: each
/// edit that committed, applied to the seed (they touch different things, so in any
/// order), and the typesetting if its job was for a committed publish.
pub fn truth(published: bool, bob_edited: bool) -> (String, String) {
    let mut body = SEED_BODY.to_owned();
    if bob_edited {
        body = fix_typo(&body);
    }
    if published {
        body = typeset(&body);
    }
    let status = if published { "published" } else { "draft" };
    (status.to_owned(), body)
}

/// The committed work the final row does not show, in words.
pub fn lost(final_row: &Article, published: bool, bob_edited: bool) -> Vec<String> {
    let mut lost = Vec::new();
    if bob_edited && final_row.body.contains("Teh ") {
        lost.push("bob's typo fix".to_owned());
    }
    match (published, final_row.status.as_str()) {
        (true, "published") | (false, "draft") => {}
        (true, _) => lost.push("ann's publish".to_owned()),
        (false, _) => lost.push("a publish that was rolled back is live".to_owned()),
    }
    if published && final_row.body.contains(" -- ") {
        lost.push("the typesetting".to_owned());
    }
    if !published && final_row.body != truth(false, bob_edited).1 {
        lost.push("the body of a rolled-back publish was changed".to_owned());
    }
    lost
}
