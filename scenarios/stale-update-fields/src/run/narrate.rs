//! Transcript lines for the story: requests, responses and ETags named by label.

use lab_kit::Transcript;
use reqwest::StatusCode;

use crate::browser::Exchange;

/// The reason phrase of a status code, for transcripts.
pub(super) fn reason(status: u16) -> &'static str {
    StatusCode::from_u16(status)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

/// Names ETags `etag#1`, `etag#2`, ... in order of first appearance, so a transcript says
/// "the same tag came back" without printing the tag.
#[derive(Debug, Default)]
pub(super) struct Labels {
    seen: Vec<String>,
}

impl Labels {
    pub(super) fn label(&mut self, tag: &str) -> String {
        let index = match self.seen.iter().position(|s| s == tag) {
            Some(i) => i,
            None => {
                self.seen.push(tag.to_owned());
                self.seen.len() - 1
            }
        };
        format!("etag#{}", index + 1)
    }

    pub(super) fn of(&mut self, tag: Option<&str>) -> Option<String> {
        tag.map(|t| self.label(t))
    }
}

/// One GET in transcript lines: the request with its validators, the statements the app
/// ran for it, the response, and what the reader then displays.
pub(super) fn record_get(
    t: &mut Transcript,
    who: &str,
    x: &Exchange,
    sql: Vec<String>,
    labels: &mut Labels,
) {
    let mut request = format!("GET {}", x.path);
    if let Some(tag) = labels.of(x.if_none_match.as_deref()) {
        request.push_str(&format!(", If-None-Match: {tag}"));
    }
    if let Some(date) = &x.if_modified_since {
        request.push_str(&format!(", If-Modified-Since: {date}"));
    }
    t.push(who, request);
    for statement in sql {
        t.push("db", statement);
    }
    let mut response = format!("{} {}", x.status, reason(x.status));
    if let Some(tag) = labels.of(x.etag.as_deref()) {
        response.push_str(&format!(", ETag: {tag}"));
    }
    if let Some(date) = &x.last_modified {
        response.push_str(&format!(", Last-Modified: {date}"));
    }
    match &x.page_cache {
        Some(cache) => response.push_str(&format!(", page cache {cache}, body {:?}", x.body)),
        None => response.push_str(", no body"),
    }
    t.push("server", response);
    t.push(who, format!("displays {:?}", x.displayed));
}
