//! A world to fetch pages from: the app serving a loaded database on loopback, its
//! statements captured by SQLite's trace hook, and a client.

use lab_kit::http::Server;
use lab_kit::sqlite::StatementLog;
use rusqlite::Connection;

use crate::app::router;
use crate::model::ArticleList;
use crate::orm::Db;

/// The app with `list` behind its list view, and the log of every statement its
/// connection ran.
#[derive(Debug)]
pub(crate) struct World {
    server: Server,
    log: StatementLog,
    client: reqwest::Client,
}

/// One page as the client got it, and the statements the database ran for it.
#[derive(Debug, Clone)]
pub(crate) struct Page {
    pub(crate) size: usize,
    pub(crate) status: u16,
    pub(crate) body: String,
    pub(crate) statements: Vec<String>,
}

impl World {
    /// Serves `conn` (already loaded) with `list` behind the view. Must be called
    /// inside a tokio runtime.
    pub(crate) async fn serve(mut conn: Connection, list: ArticleList) -> lab_kit::Result<Self> {
        let log = StatementLog::attach(&mut conn)?;
        let server = lab_kit::http::serve(router(Db::new(conn), list)).await?;
        Ok(Self {
            server,
            log,
            client: lab_kit::http::client(),
        })
    }

    /// `GET /articles?size={size}`: the body, and every statement the request ran,
    /// counted by the database, not by the code.
    pub(crate) async fn page(&self, size: usize) -> lab_kit::Result<Page> {
        self.log.take();
        let response = self
            .client
            .get(self.server.url(&format!("/articles?size={size}")))
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        Ok(Page {
            size,
            status,
            body,
            statements: self.log.take(),
        })
    }

    /// Stops the server and waits for it.
    pub(crate) async fn stop(self) -> lab_kit::Result<()> {
        Ok(self.server.shutdown().await?)
    }
}
