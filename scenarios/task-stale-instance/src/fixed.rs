//! The fix: the job carries the article's id and leaves when the publish commits; the
//! worker reads the row as it is, and writes only if nobody changed it since.

use rusqlite::Connection;

use crate::model::{Article, Task, TaskError, get_article, typeset};
use crate::queue::Request;

/// The typesetting job as the publish view and the worker run it.
pub const TYPESET: Task = Task {
    enqueue,
    load,
    save,
};

/// How often the worker reads the row again after an edit beat it to the write. Each
/// retry means someone saved in between; a handful is plenty for people typing.
const ATTEMPTS: usize = 5;

fn enqueue(request: &mut Request, article: &Article) -> rusqlite::Result<()> {
    let message = serde_json::json!({ "id": article.id }).to_string();
    // FIX: `transaction.on_commit(lambda: typeset.delay(article.pk))`: only the id, and
    // only once the publish is committed - a rolled-back request sends nothing, and the
    // worker never reads a row before the change it was sent for is visible.
    request.on_commit(message);
    Ok(())
}

fn load(conn: &Connection, message: &str) -> Result<Article, TaskError> {
    let id: i64 = serde_json::from_str::<serde_json::Value>(message)?["id"]
        .as_i64()
        .ok_or(TaskError::Missing(0))?;
    // FIX: the row as it is now, not as it was when the job was queued.
    get_article(conn, id)
}

fn save(conn: &Connection, mut article: Article) -> Result<(), TaskError> {
    for _ in 0..ATTEMPTS {
        // FIX: `Article.objects.filter(pk=..., version=...).update(body=..., version=...)`:
        // an optimistic lock. The UPDATE matches only the version this worker read; if an
        // edit landed since, it changes 0 rows, and the worker reads the row again and
        // typesets what is there now - no edit is overwritten.
        let changed = conn.execute(
            "UPDATE blog_article SET body = ?1, version = ?2 WHERE id = ?3 AND version = ?4",
            (
                typeset(&article.body),
                article.version + 1,
                article.id,
                article.version,
            ),
        )?;
        if changed == 1 {
            return Ok(());
        }
        article = get_article(conn, article.id)?;
    }
    Err(TaskError::Conflict(ATTEMPTS))
}
