//! The transcript's wording: exchanges, statements and balances as lines.

use lab_kit::Transcript;
use lab_kit::sqlite::StatementLog;
use serde_json::{Value, json};

use crate::browser::{Exchange, Form};

/// One exchange as transcript lines: the request with what it carried, then the answer.
pub(super) fn record(t: &mut Transcript, who: &str, x: &Exchange) {
    let mut sent = Vec::new();
    sent.push(match (&x.cookie, x.withheld.as_slice()) {
        (Some(c), _) => format!("Cookie: {}", short(c)),
        (None, []) => "no cookie".to_owned(),
        (None, held) => format!("no cookie: {} held back", held.join(", ")),
    });
    if let Some(o) = &x.origin {
        sent.push(format!("Origin: {o}"));
    }
    t.push(who, format!("{} {} ({})", x.method, x.url, sent.join(", ")));
    let host = reqwest::Url::parse(&x.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_default();
    t.push(host.as_str(), format!("{} {}", x.status, headline(&x.body)));
    for c in &x.set_cookie {
        t.push(host.as_str(), format!("Set-Cookie: {}", short(c)));
    }
}

/// A cookie header with its 32-character values cut to their first 8 characters.
fn short(cookie: &str) -> String {
    cookie
        .split("; ")
        .map(|p| match p.split_once('=') {
            Some((k, v)) if v.len() > 8 && !v.contains(' ') => format!("{k}={}...", &v[..8]),
            _ => p.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

pub(super) fn fields(form: &Form) -> String {
    form.fields
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

pub(super) fn describe(balances: &[(String, i64)]) -> String {
    balances
        .iter()
        .map(|(o, b)| format!("{o} {b}"))
        .collect::<Vec<_>>()
        .join(", ")
}

pub(super) fn map(balances: &[(String, i64)]) -> Value {
    balances
        .iter()
        .map(|(o, b)| (o.clone(), json!(b)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

/// A page's `<h1>` text, or a plain-text body as it is.
fn headline(body: &str) -> String {
    if !body.starts_with("<!doctype") {
        return body.to_owned();
    }
    let doc = scraper::Html::parse_document(body);
    let h1 = scraper::Selector::parse("h1").expect("a valid selector");
    doc.select(&h1)
        .next()
        .map(|e| format!("page \"{}\"", e.text().collect::<String>()))
        .unwrap_or_default()
}

/// The statements of the last request that wrote to the accounts.
pub(super) fn updates(t: &mut Transcript, log: &StatementLog) {
    for sql in log.take() {
        if sql.starts_with("BEGIN") || sql.starts_with("UPDATE") || sql == "COMMIT" {
            t.push("sql", sql);
        }
    }
}
