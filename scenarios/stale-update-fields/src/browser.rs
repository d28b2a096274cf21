//! A reqwest client that caches like a browser: it keeps each page with its validators
//! and revalidates before showing it again.

use std::collections::HashMap;

use reqwest::StatusCode;
use reqwest::header::{ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED};

use crate::app::PAGE_CACHE;

/// A browser with a private HTTP cache. A new one is a first-time visitor.
#[derive(Debug)]
pub struct Browser {
    client: reqwest::Client,
    base_url: String,
    cache: HashMap<String, Cached>,
}

#[derive(Debug, Clone)]
struct Cached {
    etag: Option<String>,
    last_modified: Option<String>,
    body: String,
}

/// One conditional GET as it went over the wire, and what the browser then showed.
#[derive(Debug, Clone)]
pub struct Exchange {
    pub path: String,
    /// The validators the browser sent.
    pub if_none_match: Option<String>,
    pub if_modified_since: Option<String>,
    pub status: u16,
    /// The validators that came back.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// `hit` or `miss` when the server rendered or reused a page; absent on a 304.
    pub page_cache: Option<String>,
    /// The response body (empty for a 304).
    pub body: String,
    /// What the browser displays: the new body, or its cached copy after a 304.
    pub displayed: String,
}

impl Browser {
    /// A browser with an empty cache, talking to the server at `base_url`.
    pub fn new(base_url: String) -> Self {
        Self {
            client: lab_kit::http::client(),
            base_url,
            cache: HashMap::new(),
        }
    }

    /// GETs `path`, revalidating a cached copy with `If-None-Match` and
    /// `If-Modified-Since` (browsers send both), and shows the cached body on a 304.
    pub async fn get(&mut self, path: &str) -> lab_kit::Result<Exchange> {
        let cached = self.cache.get(path).cloned();
        let if_none_match = cached.as_ref().and_then(|c| c.etag.clone());
        let if_modified_since = cached.as_ref().and_then(|c| c.last_modified.clone());
        let mut request = self.client.get(format!("{}{path}", self.base_url));
        if let Some(tag) = &if_none_match {
            request = request.header(IF_NONE_MATCH, tag);
        }
        if let Some(date) = &if_modified_since {
            request = request.header(IF_MODIFIED_SINCE, date);
        }
        let response = request.send().await?;
        let status = response.status();
        let header = |name: &str| {
            response
                .headers()
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::to_owned)
        };
        let etag = header(ETAG.as_str());
        let last_modified = header(LAST_MODIFIED.as_str());
        let page_cache = header(PAGE_CACHE);
        let body = response.text().await?;
        let displayed = match (status, cached) {
            (StatusCode::NOT_MODIFIED, Some(mut copy)) => {
                // A 304 may refresh the stored validators; the stored body stays.
                copy.etag = etag.clone().or(copy.etag);
                copy.last_modified = last_modified.clone().or(copy.last_modified);
                let shown = copy.body.clone();
                self.cache.insert(path.to_owned(), copy);
                shown
            }
            (StatusCode::OK, _) => {
                if etag.is_some() || last_modified.is_some() {
                    let copy = Cached {
                        etag: etag.clone(),
                        last_modified: last_modified.clone(),
                        body: body.clone(),
                    };
                    self.cache.insert(path.to_owned(), copy);
                }
                body.clone()
            }
            // An error page, or a 304 for a page this browser never stored: shown as is.
            _ => body.clone(),
        };
        Ok(Exchange {
            path: path.to_owned(),
            if_none_match,
            if_modified_since,
            status: status.as_u16(),
            etag,
            last_modified,
            page_cache,
            body,
            displayed,
        })
    }
}

/// Sends `PATCH path` with a JSON body; returns the status and the response body.
pub async fn patch(base_url: &str, path: &str, json: &str) -> lab_kit::Result<(u16, String)> {
    let response = lab_kit::http::client()
        .patch(format!("{base_url}{path}"))
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .body(json.to_owned())
        .send()
        .await?;
    let status = response.status().as_u16();
    Ok((status, response.text().await?))
}
