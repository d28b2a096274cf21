//! The pitfall: the publish view hands the worker the article itself, and the worker saves
//! the copy it got.
//!
//! ```text
//! @app.task(serializer="pickle")            # JSON refuses a model instance
//! def typeset(article):
//!     article.body = smart_dashes(article.body)
//!     article.save()                        # every field, from the copy
//!
//! with transaction.atomic():                # the publish view
//!     article.status = "published"
//!     article.save()
//!     typeset.delay(article)                # pickled now, sent now
//! ```

use rusqlite::Connection;

use crate::model::{Article, Task, TaskError, save_article, typeset};
use crate::queue::Request;

/// The typesetting job as the publish view and the worker run it.
pub const TYPESET: Task = Task {
    enqueue,
    load,
    save,
};

fn enqueue(request: &mut Request, article: &Article) -> rusqlite::Result<()> {
    let message = serde_json::to_string(article)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    // PITFALL: the message is a copy of the whole row as this request sees it, and it
    // leaves at once - before this transaction commits, and even if it rolls back.
    request.send(&message)
}

fn load(_conn: &Connection, message: &str) -> Result<Article, TaskError> {
    // The worker works on the copy it was sent, however old it is by now.
    Ok(serde_json::from_str(message)?)
}

fn save(conn: &Connection, mut article: Article) -> Result<(), TaskError> {
    article.body = typeset(&article.body);
    // PITFALL: save() writes every field of the copy over the row: whatever was
    // committed since the copy was made - bob's edit - is overwritten without a word.
    save_article(conn, &mut article)?;
    Ok(())
}
