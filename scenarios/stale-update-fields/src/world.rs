//! One run's world: a SQLite file, the app serving it on loopback, and an observer.

use std::sync::Arc;

use lab_kit::http::Server;
use lab_kit::sqlite::{StatementLog, TempDb};
use rusqlite::Connection;

use crate::PartialSave;
use crate::app::{App, router};
use crate::model::{Article, Clock, SCHEMA};

/// The article every run starts from.
pub const SEED_TITLE: &str = "Launch notes";
/// Its body before any edit.
pub const SEED_BODY: &str = "First draft";

/// A database file with one article, the app serving it, and a separate connection that
/// reads the row as it really is (the truth every reader is compared with).
#[derive(Debug)]
pub struct World {
    pub clock: Arc<Clock>,
    /// Every statement the app's connection ran.
    pub log: StatementLog,
    pub server: Server,
    pub article_id: i64,
    observer: Connection,
    // Declared last: the file must outlive the connections above.
    _db: TempDb,
}

impl World {
    /// Creates the schema and the seed article at [`Clock::START`], then serves the app
    /// with `save` behind its edit endpoint. Must be called inside a tokio runtime.
    pub async fn start(save: PartialSave) -> lab_kit::Result<Self> {
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
    pub fn path(&self) -> String {
        format!("/articles/{}", self.article_id)
    }

    /// Stops the server and waits for it, then removes the database.
    pub async fn stop(self) -> lab_kit::Result<()> {
        Ok(self.server.shutdown().await?)
    }

    /// The row as the database holds it now.
    pub fn row(&self) -> lab_kit::Result<Article> {
        Article::load(&self.observer, self.article_id)?
            .ok_or_else(|| lab_kit::Error::Invalid("the seed article is gone".into()))
    }
}

/// A current-thread runtime: the server and the client take turns on one thread.
pub fn runtime() -> lab_kit::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}
