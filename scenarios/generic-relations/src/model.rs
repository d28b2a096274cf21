//! What every variant shares: what a comment is attached to, a comment as the list page
//! shows it, the project's content types, the rows both kinds of target start from, and
//! the one variant type - a `Blog`, the app's writes and its comment list as plain
//! functions over a connection.

use rusqlite::{Connection, Params};
use serde::Serialize;

/// The app's code paths over `blog_article`, `blog_photo` and `blog_comment`:
/// `broken.rs` and each fix expose one, `BLOG`, built from their own functions.
#[derive(Debug, Clone, Copy)]
pub struct Blog {
    /// The blog's tables and indexes, as Django's schema editor writes them for the
    /// module's models (the project's `django_content_type` comes from [`CONTENT_TYPES`]).
    pub schema: &'static str,
    /// `Comment.objects.create(...)` on an article or a photo; the new comment's id.
    pub comment_on: fn(&Connection, Target, &str) -> rusqlite::Result<i64>,
    /// `Article.objects.get(pk=id).delete()`: one article, through the ORM.
    pub delete_article: fn(&Connection, i64) -> rusqlite::Result<()>,
    /// `Photo.objects.filter(caption__startswith=prefix).delete()`: a bulk delete.
    pub delete_photos_captioned: fn(&Connection, &str) -> rusqlite::Result<()>,
    /// The comment list page: every comment with what it is attached to, `None` when
    /// that row is gone.
    pub comments: fn(&Connection) -> rusqlite::Result<Vec<CommentLine>>,
}

/// What a comment is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "model", content = "id", rename_all = "snake_case")]
pub enum Target {
    Article(i64),
    Photo(i64),
}

impl std::fmt::Display for Target {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Target::Article(id) => write!(f, "article #{id}"),
            Target::Photo(id) => write!(f, "photo #{id}"),
        }
    }
}

/// A comment as the list page shows it: its target, and the target's title or caption
/// when the row is still there.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommentLine {
    pub id: i64,
    pub body: String,
    pub on: Target,
    pub shown: Option<String>,
}

impl std::fmt::Display for CommentLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let shown = self.shown.as_deref().unwrap_or("(gone)");
        write!(f, "#{} {:?} on {}: {shown}", self.id, self.body, self.on)
    }
}

/// The project's content types, as `migrate` leaves them for the `blog` app: the table
/// Django 5.2 creates for `ContentType` and one row per model (ids 1 and 2). The
/// foreign-key fix does not read them, but a Django project has them anyway.
pub const CONTENT_TYPES: &str = concat!(
    "CREATE TABLE django_content_type (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "app_label varchar(100) NOT NULL, model varchar(100) NOT NULL);\n",
    "CREATE UNIQUE INDEX django_content_type_app_label_model_76bd3d3b_uniq ",
    "ON django_content_type (app_label, model);\n",
    "INSERT INTO django_content_type (app_label, model) VALUES ('blog', 'article'), ",
    "('blog', 'photo');",
);

/// `ContentType.objects.get_for_model(Article).pk`.
pub const ARTICLE_TYPE: i64 = 1;
/// `ContentType.objects.get_for_model(Photo).pk`.
pub const PHOTO_TYPE: i64 = 2;

/// `Article.objects.create(title=title)`: the same in every variant.
pub fn create_article(conn: &Connection, title: &str) -> rusqlite::Result<i64> {
    returning_id(
        conn,
        "INSERT INTO blog_article (title) VALUES (?1) RETURNING blog_article.id",
        [title],
    )
}

/// `Photo.objects.create(caption=caption)`: the same in every variant.
pub fn create_photo(conn: &Connection, caption: &str) -> rusqlite::Result<i64> {
    returning_id(
        conn,
        "INSERT INTO blog_photo (caption) VALUES (?1) RETURNING blog_photo.id",
        [caption],
    )
}

/// An `INSERT ... RETURNING <table>.id`'s new id, once the statement has run to its end:
/// outside a transaction SQLite commits there and checks deferred foreign keys, and a
/// refusal comes back from that last step (reading only the first row would miss it).
pub fn returning_id(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query(params)?;
    let id = match rows.next()? {
        Some(row) => row.get(0)?,
        None => return Err(rusqlite::Error::QueryReturnedNoRows),
    };
    while rows.next()?.is_some() {}
    Ok(id)
}

/// Runs `sql` and reads each row with `read`: what every read path does with its SQL.
pub use lab_kit::sqlite::query;

/// `Comment.objects.prefetch_related("target")`: the comments, then for each content type
/// in order of first appearance the rows whose ids they name - one query per type.
pub fn generic_comments(conn: &Connection) -> rusqlite::Result<Vec<CommentLine>> {
    let rows = query(
        conn,
        "SELECT blog_comment.id, blog_comment.content_type_id, blog_comment.object_id, \
         blog_comment.body FROM blog_comment ORDER BY blog_comment.id ASC",
        [],
        |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, i64>(2)?,
                r.get(3)?,
            ))
        },
    )?;
    let mut types: Vec<i64> = Vec::new();
    for (_, content_type, ..) in &rows {
        if !types.contains(content_type) {
            types.push(*content_type);
        }
    }
    let mut found: Vec<(i64, i64, String)> = Vec::new();
    for content_type in types {
        let mut ids: Vec<i64> = rows
            .iter()
            .filter(|r| r.1 == content_type)
            .map(|r| r.2)
            .collect();
        ids.sort_unstable();
        ids.dedup();
        let (table, column) = if content_type == ARTICLE_TYPE {
            ("blog_article", "title")
        } else {
            ("blog_photo", "caption")
        };
        let sql = format!(
            "SELECT {table}.id, {table}.{column} FROM {table} WHERE {table}.id IN {}",
            placeholders(ids.len())
        );
        let targets = query(conn, &sql, rusqlite::params_from_iter(&ids), |r| {
            Ok((content_type, r.get(0)?, r.get(1)?))
        })?;
        found.extend(targets);
    }
    Ok(rows
        .into_iter()
        .map(|(id, content_type, object_id, body)| CommentLine {
            id,
            body,
            on: if content_type == ARTICLE_TYPE {
                Target::Article(object_id)
            } else {
                Target::Photo(object_id)
            },
            shown: found
                .iter()
                .find(|(t, i, _)| *t == content_type && *i == object_id)
                .map(|(.., shown)| shown.clone()),
        })
        .collect())
}

/// `(?1, ?2, ...)` for `n` values: the `IN` list Django writes for `pk__in`.
pub fn placeholders(n: usize) -> String {
    let marks: Vec<String> = (1..=n).map(|i| format!("?{i}")).collect();
    format!("({})", marks.join(", "))
}

/// A `startswith` lookup's pattern: the prefix with LIKE's wildcards escaped by `\`, then
/// `%` (Django's `LIKE %s ESCAPE '\'`).
pub fn starts_with(prefix: &str) -> String {
    let mut pattern = String::new();
    for c in prefix.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Runs `body` between `BEGIN` and `COMMIT` (`ROLLBACK` on an error), as
/// `transaction.atomic()` does around the ORM's deletes.
pub fn atomic<T>(
    conn: &Connection,
    body: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.execute_batch("BEGIN")?;
    // A deferred foreign key is checked at COMMIT: a COMMIT that fails leaves the
    // transaction open, and it is rolled back like any other failure.
    let result = body().and_then(|value| conn.execute_batch("COMMIT").map(|()| value));
    if result.is_err() && !conn.is_autocommit() {
        conn.execute_batch("ROLLBACK")?;
    }
    result
}
