//! A world to search in: the app serving the loaded shop on loopback, its statements
//! captured by SQLite's trace hook, and a client.

use lab_kit::http::Server;
use lab_kit::sqlite::StatementLog;
use rusqlite::Connection;

use crate::app::{PATH, router};
use crate::model::{Product, SearchFn};

/// The app with `search` behind its view, and the log of every statement its
/// connection ran.
#[derive(Debug)]
pub(super) struct World {
    server: Server,
    log: StatementLog,
    client: reqwest::Client,
}

/// One search as the client saw it, and the statements the database ran for it.
#[derive(Debug, Clone)]
pub(super) struct Answer {
    pub(super) who: &'static str,
    pub(super) q: &'static str,
    pub(super) status: u16,
    /// The `results` of a 200 answer; `None` for any other status.
    pub(super) results: Option<Vec<Product>>,
    pub(super) statements: Vec<String>,
}

#[derive(serde::Deserialize)]
struct Body {
    results: Vec<Product>,
}

impl World {
    /// Serves `conn` (already loaded) with `search` behind the view. Must be called
    /// inside a tokio runtime.
    pub(super) async fn serve(mut conn: Connection, search: SearchFn) -> lab_kit::Result<Self> {
        let log = StatementLog::attach(&mut conn)?;
        let server = lab_kit::http::serve(router(conn, search)).await?;
        Ok(Self {
            server,
            log,
            client: lab_kit::http::client(),
        })
    }

    /// `GET /products/search?q=...` with `q` form-encoded, as a browser sends a search
    /// box: the answer, and every statement the request ran, as the database saw it.
    pub(super) async fn search(
        &self,
        who: &'static str,
        q: &'static str,
    ) -> lab_kit::Result<Answer> {
        self.log.take();
        let mut url =
            reqwest::Url::parse(&self.server.url(PATH)).map_err(lab_kit::Error::scenario)?;
        url.query_pairs_mut().append_pair("q", q);
        let response = self.client.get(url).send().await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        let results = if status == 200 {
            let body: Body = serde_json::from_str(&body).map_err(lab_kit::Error::scenario)?;
            Some(body.results)
        } else {
            None
        };
        Ok(Answer {
            who,
            q,
            status,
            results,
            statements: self.log.take(),
        })
    }

    /// Stops the server and waits for it.
    pub(super) async fn stop(self) -> lab_kit::Result<()> {
        Ok(self.server.shutdown().await?)
    }
}
