//! The pitfall: comments attached by `(content_type, object_id)` - Django's
//! `GenericForeignKey` - and nothing on the targets. The database knows no link between
//! a comment and its article or photo, so deleting either leaves its comments behind,
//! pointing at a row that is gone.

use rusqlite::Connection;

use crate::model::{
    ARTICLE_TYPE, Blog, CommentLine, PHOTO_TYPE, Target, atomic, generic_comments, returning_id,
    starts_with,
};

/// The tables Django 5.2 creates for `Article(title)`, `Photo(caption)` and
/// `Comment(content_type = ForeignKey(ContentType), object_id = PositiveIntegerField(),
/// target = GenericForeignKey(), body)` with an index on the pair, word for word but for
/// its double quotes (the Django twin checks it).
pub const SCHEMA: &str = concat!(
    "CREATE TABLE blog_article (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "title varchar(100) NOT NULL);\n",
    "CREATE TABLE blog_photo (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "caption varchar(100) NOT NULL);\n",
    "CREATE TABLE blog_comment (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "content_type_id integer NOT NULL REFERENCES django_content_type (id) ",
    "DEFERRABLE INITIALLY DEFERRED, ",
    // PITFALL: object_id is a plain integer. It references no table - it cannot, since
    // it names a row of a different table per content type - so the database neither
    // checks that the target exists nor does anything when the target goes.
    "object_id integer unsigned NOT NULL CHECK (object_id >= 0), body text NOT NULL);\n",
    "CREATE INDEX blog_comment_content_type_id_e26f0063 ON blog_comment (content_type_id);\n",
    "CREATE INDEX blog_comment_target ON blog_comment (content_type_id, object_id);",
);

/// The app as it is.
pub const BLOG: Blog = Blog {
    schema: SCHEMA,
    comment_on,
    delete_article,
    delete_photos_captioned,
    comments,
};

/// `Comment.objects.create(target=obj, body=body)`: the content type's id and the
/// object's id, stored as two integers.
pub fn comment_on(conn: &Connection, target: Target, body: &str) -> rusqlite::Result<i64> {
    let (content_type, object_id) = match target {
        Target::Article(id) => (ARTICLE_TYPE, id),
        Target::Photo(id) => (PHOTO_TYPE, id),
    };
    returning_id(
        conn,
        "INSERT INTO blog_comment (content_type_id, object_id, body) VALUES (?1, ?2, ?3) \
         RETURNING blog_comment.id",
        (content_type, object_id, body),
    )
}

/// `article.delete()`.
pub fn delete_article(conn: &Connection, article: i64) -> rusqlite::Result<()> {
    // PITFALL: nothing on Article names the comments, so Django's deletion collector
    // finds no related object: one fast DELETE of the article, the comments stay.
    conn.execute(
        "DELETE FROM blog_article WHERE blog_article.id IN (?1)",
        [article],
    )?;
    Ok(())
}

/// `Photo.objects.filter(caption__startswith=prefix).delete()`.
pub fn delete_photos_captioned(conn: &Connection, prefix: &str) -> rusqlite::Result<()> {
    // PITFALL: with no relation to follow, the queryset is deleted in one statement,
    // without even reading which photos went: their comments cannot be found afterwards
    // but by looking for ids that no longer exist.
    atomic(conn, || {
        conn.execute(
            "DELETE FROM blog_photo WHERE blog_photo.caption LIKE ?1 ESCAPE '\\'",
            [starts_with(prefix)],
        )
    })?;
    Ok(())
}

/// `Comment.objects.prefetch_related("target").order_by("pk")`: the comments, then one
/// query per content type for the targets they name.
pub fn comments(conn: &Connection) -> rusqlite::Result<Vec<CommentLine>> {
    generic_comments(conn)
}
