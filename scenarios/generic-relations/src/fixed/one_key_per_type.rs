//! The second fix: no generic foreign key. `Comment` gets one nullable foreign key per
//! kind of target and a check constraint that exactly one is set. The database now
//! knows every link: it refuses a comment on a row that does not exist and a delete that
//! would strand a comment, whoever runs it; the ORM's cascade deletes the comments, and
//! the list page is one query with joins.

use rusqlite::Connection;

use crate::model::{
    Blog, CommentLine, Target, atomic, placeholders, query, returning_id, starts_with,
};

/// The tables Django 5.2 creates for `Comment(article = ForeignKey(Article, null=True,
/// on_delete=CASCADE), photo = ForeignKey(Photo, null=True, on_delete=CASCADE), body)`
/// with `CheckConstraint(condition=Q(article__isnull=False, photo__isnull=True) |
/// Q(article__isnull=True, photo__isnull=False), name="comment_has_one_target")`.
pub const SCHEMA: &str = concat!(
    "CREATE TABLE blog_article (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "title varchar(100) NOT NULL);\n",
    "CREATE TABLE blog_photo (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "caption varchar(100) NOT NULL);\n",
    "CREATE TABLE blog_comment (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    // FIX: a real reference per target table: SQLite checks it when the transaction
    // commits (Django's DEFERRABLE INITIALLY DEFERRED) ...
    "article_id integer NULL REFERENCES blog_article (id) DEFERRABLE INITIALLY DEFERRED, ",
    "photo_id integer NULL REFERENCES blog_photo (id) DEFERRABLE INITIALLY DEFERRED, ",
    "body text NOT NULL, ",
    // FIX: ... and exactly one of them is set.
    "CONSTRAINT comment_has_one_target CHECK (((article_id IS NOT NULL AND photo_id IS NULL) ",
    "OR (article_id IS NULL AND photo_id IS NOT NULL))));\n",
    "CREATE INDEX blog_comment_article_id_3d58bca6 ON blog_comment (article_id);\n",
    "CREATE INDEX blog_comment_photo_id_15d84a20 ON blog_comment (photo_id);",
);

/// The app with the fix.
pub const BLOG: Blog = Blog {
    schema: SCHEMA,
    comment_on,
    delete_article,
    delete_photos_captioned,
    comments,
};

/// `Comment.objects.create(article=...)` or `(photo=...)`.
pub fn comment_on(conn: &Connection, target: Target, body: &str) -> rusqlite::Result<i64> {
    let (article, photo) = match target {
        Target::Article(id) => (Some(id), None),
        Target::Photo(id) => (None, Some(id)),
    };
    returning_id(
        conn,
        "INSERT INTO blog_comment (article_id, photo_id, body) VALUES (?1, ?2, ?3) \
         RETURNING blog_comment.id",
        (article, photo, body),
    )
}

/// `article.delete()`: `on_delete=CASCADE` deletes its comments first.
pub fn delete_article(conn: &Connection, article: i64) -> rusqlite::Result<()> {
    atomic(conn, || {
        // FIX: the collector follows the foreign key to the comments and deletes them
        // before the article; had it not, the COMMIT would fail on the reference.
        conn.execute(
            "DELETE FROM blog_comment WHERE blog_comment.article_id IN (?1)",
            [article],
        )?;
        conn.execute(
            "DELETE FROM blog_article WHERE blog_article.id IN (?1)",
            [article],
        )
    })?;
    Ok(())
}

/// `Photo.objects.filter(caption__startswith=prefix).delete()`.
pub fn delete_photos_captioned(conn: &Connection, prefix: &str) -> rusqlite::Result<()> {
    // FIX: the photos are read first so that their comments can be deleted with them.
    let photos = query(
        conn,
        "SELECT blog_photo.id, blog_photo.caption FROM blog_photo \
         WHERE blog_photo.caption LIKE ?1 ESCAPE '\\'",
        [starts_with(prefix)],
        |r| r.get::<_, i64>(0),
    )?;
    if photos.is_empty() {
        return Ok(());
    }
    let ids = placeholders(photos.len());
    atomic(conn, || {
        conn.execute(
            &format!("DELETE FROM blog_comment WHERE blog_comment.photo_id IN {ids}"),
            rusqlite::params_from_iter(&photos),
        )?;
        conn.execute(
            &format!("DELETE FROM blog_photo WHERE blog_photo.id IN {ids}"),
            rusqlite::params_from_iter(&photos),
        )
    })?;
    Ok(())
}

/// `Comment.objects.select_related("article", "photo").order_by("pk")`: one query.
pub fn comments(conn: &Connection) -> rusqlite::Result<Vec<CommentLine>> {
    // FIX: a join is possible now: the targets come with the comments.
    query(
        conn,
        "SELECT blog_comment.id, blog_comment.article_id, blog_comment.photo_id, \
         blog_comment.body, blog_article.id, blog_article.title, blog_photo.id, \
         blog_photo.caption FROM blog_comment \
         LEFT OUTER JOIN blog_article ON (blog_comment.article_id = blog_article.id) \
         LEFT OUTER JOIN blog_photo ON (blog_comment.photo_id = blog_photo.id) \
         ORDER BY blog_comment.id ASC",
        [],
        |r| {
            let on = match r.get::<_, Option<i64>>(1)? {
                Some(article) => Target::Article(article),
                None => Target::Photo(r.get(2)?),
            };
            let shown: Option<String> = match on {
                Target::Article(_) => r.get(5)?,
                Target::Photo(_) => r.get(7)?,
            };
            Ok(CommentLine {
                id: r.get(0)?,
                body: r.get(3)?,
                on,
                shown,
            })
        },
    )
}
