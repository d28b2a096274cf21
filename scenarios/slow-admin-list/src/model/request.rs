//! A change list request: the query string of `/admin/app/order/`, written the way
//! Django's admin writes its links (keys sorted, values form-encoded like Python's
//! `urlencode`), so the lab's links and Django's compare as text.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Serialize;

/// The parameters of one request, by name: `q` (the search box), and whatever the
/// page's links add.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct PageRequest {
    params: BTreeMap<String, String>,
}

impl PageRequest {
    /// The first page of a search (`search` empty: the first page of every order).
    pub fn search(search: &str) -> Self {
        let request = Self::default();
        if search.is_empty() {
            request
        } else {
            request.with("q", search)
        }
    }

    /// The value of parameter `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }

    /// This request with `name` set to `value`.
    #[must_use]
    pub fn with(&self, name: &str, value: impl Into<String>) -> Self {
        let mut params = self.params.clone();
        params.insert(name.to_owned(), value.into());
        Self { params }
    }

    /// This request without parameter `name`.
    #[must_use]
    pub fn without(&self, name: &str) -> Self {
        let mut params = self.params.clone();
        params.remove(name);
        Self { params }
    }

    /// `?a=1&q=Grace+Hopper`, keys sorted; empty when there are no parameters.
    pub fn query_string(&self) -> String {
        let pairs: Vec<String> = self
            .params
            .iter()
            .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
            .collect();
        if pairs.is_empty() {
            String::new()
        } else {
            format!("?{}", pairs.join("&"))
        }
    }

    /// The request a query string (with or without its `?`) asks for. Bytes that do not
    /// decode are kept as they are; a repeated key keeps its last value.
    pub fn parse(query: &str) -> Self {
        let params = query
            .trim_start_matches('?')
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
                (decode(k), decode(v))
            })
            .collect();
        Self { params }
    }
}

/// Python's `quote_plus`: letters, digits and `_.-~` as they are, a space as `+`, every
/// other byte as `%XX`.
fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'.' | b'-' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' => out.push('+'),
            _ => {
                let _ = write!(out, "%{byte:02X}");
            }
        }
    }
    out
}

fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'+', _) => out.push(b' '),
            (b'%', Some(byte)) => {
                out.push(byte);
                i += 2;
            }
            (byte, _) => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}
