//! A staff member's browser: opens a change list page over HTTP and reads what it shows -
//! the orders' ids, the count, the total, the next link - from the HTML alone.

use crate::model::Count;

/// A browser on the admin's server.
#[derive(Debug)]
pub struct Browser {
    client: reqwest::Client,
    base_url: String,
}

/// One page as it came over the wire and what it shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The path and query string requested (no host: ports stay out of reports).
    pub path: String,
    pub status: u16,
    pub ids: Vec<i64>,
    /// The count as the page states it (`5000 orders`), and the total if shown.
    pub count: String,
    pub total: Option<String>,
    /// The next link's path and query string, if the page has one.
    pub next: Option<String>,
}

/// Why a page could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("{path} answered {status}: {body}")]
    Status {
        path: String,
        status: u16,
        body: String,
    },
    #[error("{path} shows no count")]
    NoCount { path: String },
}

impl Browser {
    /// A browser for the server at `base_url`.
    pub fn new(base_url: String) -> Self {
        Self {
            client: lab_kit::http::client(),
            base_url,
        }
    }

    /// GETs `path` and reads the page.
    pub async fn open(&self, path: &str) -> lab_kit::Result<Visit> {
        let response = self
            .client
            .get(format!("{}{path}", self.base_url))
            .send()
            .await?;
        let status = response.status().as_u16();
        let body = response.text().await?;
        if status != 200 {
            let path = path.to_owned();
            return Err(lab_kit::Error::scenario(ReadError::Status {
                path,
                status,
                body,
            }));
        }
        let count = between(&body, "<span class=\"count\">", "<")
            .ok_or_else(|| lab_kit::Error::scenario(ReadError::NoCount { path: path.into() }))?;
        let ids = body
            .split("<tr data-id=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next()?.parse().ok())
            .collect();
        Ok(Visit {
            path: path.to_owned(),
            status,
            ids,
            count: unescape(count),
            total: between(&body, "<span class=\"total\">(", " total)").map(unescape),
            next: between(&body, "<a class=\"next\" href=\"", "\"").map(unescape),
        })
    }
}

impl Visit {
    /// The page's count, read back.
    pub fn count(&self) -> Option<Count> {
        Count::parse(&self.count)
    }

    /// The page's total, read back, if it shows one.
    pub fn total(&self) -> Option<Count> {
        self.total.as_deref().and_then(Count::parse)
    }
}

/// The text between the first `start` and the next `end` after it.
fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// The HTML escapes the template writes, undone.
fn unescape(text: &str) -> String {
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}
