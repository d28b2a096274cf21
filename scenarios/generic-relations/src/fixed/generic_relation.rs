//! The first fix: the same generic foreign key, and a `GenericRelation(Comment)` on
//! `Article` and `Photo`. Django's deletion collector then follows it: every delete
//! through the ORM first deletes the comments of what it deletes, in one transaction.
//! The database still knows nothing: SQL that bypasses the ORM orphans comments as before.

use rusqlite::Connection;

use crate::model::{
    ARTICLE_TYPE, Blog, CommentLine, PHOTO_TYPE, Target, atomic, generic_comments, placeholders,
    query, starts_with,
};

/// The same tables as broken's: a `GenericRelation` adds no column and no constraint.
pub const SCHEMA: &str = crate::broken::SCHEMA;

/// The app with the fix.
pub const BLOG: Blog = Blog {
    schema: SCHEMA,
    comment_on,
    delete_article,
    delete_photos_captioned,
    comments,
};

/// `Comment.objects.create(target=obj, body=body)`, unchanged.
pub fn comment_on(conn: &Connection, target: Target, body: &str) -> rusqlite::Result<i64> {
    crate::broken::comment_on(conn, target, body)
}

/// `article.delete()`: its comments first, then the article, in one transaction.
pub fn delete_article(conn: &Connection, article: i64) -> rusqlite::Result<()> {
    atomic(conn, || {
        // FIX: the GenericRelation lets the collector find the comments by content type
        // and object id; it deletes them before the article (the cost: one more DELETE,
        // on the (content_type_id, object_id) index, per relation and per delete).
        delete_comments(conn, ARTICLE_TYPE, &[article])?;
        conn.execute(
            "DELETE FROM blog_article WHERE blog_article.id IN (?1)",
            [article],
        )
    })?;
    Ok(())
}

/// `Photo.objects.filter(caption__startswith=prefix).delete()`.
pub fn delete_photos_captioned(conn: &Connection, prefix: &str) -> rusqlite::Result<()> {
    // FIX: with a GenericRelation the queryset can no longer be deleted in one statement:
    // the collector first reads which photos it deletes (the cost: a SELECT of every row
    // the delete matches), then deletes their comments, then the photos.
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
    atomic(conn, || {
        delete_comments(conn, PHOTO_TYPE, &photos)?;
        let sql = format!(
            "DELETE FROM blog_photo WHERE blog_photo.id IN {}",
            placeholders(photos.len())
        );
        conn.execute(&sql, rusqlite::params_from_iter(&photos))
    })?;
    Ok(())
}

/// `Comment.objects.prefetch_related("target").order_by("pk")`, unchanged.
pub fn comments(conn: &Connection) -> rusqlite::Result<Vec<CommentLine>> {
    generic_comments(conn)
}

/// The collector's fast delete of a generic relation's objects:
/// `DELETE ... WHERE (content_type_id = ? AND object_id IN (...))`.
fn delete_comments(conn: &Connection, content_type: i64, ids: &[i64]) -> rusqlite::Result<usize> {
    let sql = format!(
        "DELETE FROM blog_comment WHERE (blog_comment.content_type_id = {content_type} \
         AND blog_comment.object_id IN {})",
        placeholders(ids.len())
    );
    conn.execute(&sql, rusqlite::params_from_iter(ids))
}
