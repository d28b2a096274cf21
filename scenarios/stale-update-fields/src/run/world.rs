//! One run's world: a SQLite file, the app serving it on loopback, and an observer.

use std::sync::Arc;

use lab_kit::http::Server;
use lab_kit::sqlite::{StatementLog, TempDb};
use rusqlite::Connection;

use super::RunError;
use crate::app::{App, router};
use crate::model::{Article, Clock, PartialSave, SCHEMA, SEED_BODY, SEED_TITLE};

/// A database file with one article, the app serving it, and a separate connection that
/// reads the row as it really is (the truth every reader is compared with).
#[derive(Debug)]
pub(crate) struct World {
    pub(crate) clock: Arc<Clock>,
    /// Every statement the app's connection ran.
    pub(crate) log: StatementLog,
    pub(crate) server: Server,
    pub(crate) article_id: i64,
    observer: Connection,
    // Declared last: the file must outlive the connections above.
    _db: TempDb,
}

impl World {
    /// Creates the schema and the seed article at [`Clock::START`], then serves the app
    /// with `save` behind its edit endpoint. Must be called inside a tokio runtime.
    pub(crate) async fn start(save: PartialSave) -> lab_kit::Result<Self> {
        let db = TempDb::new()?;
        let clock = Arc::new(Clock::starting_at(Clock::START));
        let observer = db.connect()?;
        observer.execute_batch(SCHEMA)?;
        let article = Article::create(&observer, &clock, SEED_TITLE, SEED_BODY)?;
        let mut conn = db.connect()?;
        let log = StatementLog::attach(&mut conn)?;
        let app = App::new(conn, Arc::clone(&clock), save);
        let server = lab_kit::http::serve(router(app)).await?;
        Ok(Self {
            clock,
            log,
            server,
            article_id: article.id,
            observer,
            _db: db,
        })
    }

    /// The article's path, `/articles/{id}` (no host: ports stay out of reports).
    pub(crate) fn path(&self) -> String {
        format!("/articles/{}", self.article_id)
    }

    /// Stops the server and waits for it, then removes the database.
    pub(crate) async fn stop(self) -> lab_kit::Result<()> {
        Ok(self.server.shutdown().await?)
    }

    /// The row as the database holds it now.
    pub(crate) fn row(&self) -> lab_kit::Result<Article> {
        Article::load(&self.observer, self.article_id)?
            .ok_or_else(|| lab_kit::Error::scenario(RunError::ArticleGone(self.article_id)))
    }
}
