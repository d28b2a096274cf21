//! One variant's run: the app on loopback with the production settings, a client that
//! requests the failing page over real HTTP, and an attacker's search of the body (and
//! of the server's log) for every secret the deployment holds.

use lab_kit::{Report, Transcript};
use serde::Serialize;
use serde_json::json;

use crate::app::{self, AppState};
use crate::model::{
    ErrorLog, FAILING_PATH, SECRETS, ServerErrorFn, Settings, client_headers, production_settings,
    reveals,
};

/// The `Host` the client asks for: the one production name in `ALLOWED_HOSTS`.
pub const HOST: &str = "app.example.com";

/// What came back from one request to the failing page, and what the server logged.
#[derive(Debug, Clone, Serialize)]
pub struct Exchange {
    pub status: u16,
    pub content_type: String,
    pub body: String,
    pub log: Vec<String>,
}

/// Serves `settings` with `server_error` behind the app, requests the failing page with
/// the client's headers, and returns the response and the log.
pub fn exchange(settings: Settings, server_error: ServerErrorFn) -> lab_kit::Result<Exchange> {
    lab_kit::http::block_on(async move {
        let log = ErrorLog::default();
        let state = AppState {
            settings,
            server_error,
            log: log.clone(),
        };
        let server = lab_kit::http::serve(app::router(state)).await?;
        let mut request = lab_kit::http::client()
            .get(server.url(FAILING_PATH))
            .header("Host", HOST);
        for (name, value) in client_headers() {
            request = request.header(name, value);
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
            .to_owned();
        let body = response.text().await?;
        server.shutdown().await?;
        Ok(Exchange {
            status,
            content_type,
            body,
            log: log.records(),
        })
    })?
}

/// Runs the failing request against `server_error` and judges what a client can read
/// against the list of secrets: the pitfall shows when any secret is in the body.
pub fn run(server_error: ServerErrorFn) -> lab_kit::Result<Report> {
    let settings = production_settings();
    let got = exchange(settings.clone(), server_error)?;
    let log = got.log.join("\n");
    let in_body: Vec<&str> = SECRETS
        .iter()
        .filter(|s| reveals(&got.body, s.value))
        .map(|s| s.name)
        .collect();
    let in_log: Vec<&str> = SECRETS
        .iter()
        .filter(|s| reveals(&log, s.value))
        .map(|s| s.name)
        .collect();

    let mut t = Transcript::new();
    let headers: Vec<String> = client_headers()
        .iter()
        .map(|(name, _)| (*name).to_owned())
        .collect();
    t.push(
        "client",
        format!(
            "GET {FAILING_PATH} (Host: {HOST}, with {})",
            headers.join(" and ")
        ),
    );
    t.push("app", "the view raised ZeroDivisionError: division by zero");
    t.push(
        "app",
        format!(
            "{} {}, {} lines, {} masked values ({})",
            got.status,
            got.content_type,
            got.body.lines().count(),
            got.body.matches(crate::model::CLEANSED_SUBSTITUTE).count(),
            first_heading(&got.body)
        ),
    );
    for secret in &SECRETS {
        let line = match found_on(&got.body, secret.value) {
            Some(line) => format!("the {}: FOUND in `{line}`", secret.name),
            None => format!(
                "the {} ({}): not in the body",
                secret.name, secret.configured_in
            ),
        };
        t.push("attacker", line);
    }
    for record in &got.log {
        let lines = record.lines().count();
        let first = record.lines().next().unwrap_or("");
        t.push("log", format!("{first} ({lines} lines)"));
    }
    // How the log shows the settings whose secrets hide under innocent names.
    for name in ["DATABASE_URL", "SENTRY_DSN", "CACHES", "ALERT_WEBHOOKS"] {
        let prefix = format!("{name} = ");
        if let Some(line) = log.lines().find(|l| l.starts_with(&prefix)) {
            t.push("log", line);
        }
    }
    t.push(
        "attacker",
        format!(
            "{} of {} secrets read from the error page",
            in_body.len(),
            SECRETS.len()
        ),
    );

    let observed = !in_body.is_empty();
    let symptom = if observed {
        format!(
            "a request that fails shows {} of the {} secrets to the client ({}), though the page masks every secret-looking name",
            in_body.len(),
            SECRETS.len(),
            in_body.join(", ")
        )
    } else {
        format!(
            "the client gets the generic 500 page with none of the {} secrets; the full report goes to the log, where {} of them can be read",
            SECRETS.len(),
            in_log.len()
        )
    };
    Ok(Report::new("", observed, symptom)
        .observe("status", got.status)
        .observe("secrets_in_body", in_body)
        .observe("secrets_in_log", in_log)
        .observe("log_records", got.log.len())
        // The input, so the Django twin configures exactly these settings and headers.
        .observe(
            "seed",
            json!({"settings": settings, "request_headers": client_headers(), "host": HOST, "secrets": SECRETS}),
        )
        .with_transcript(t))
}

/// The first line of `text` that holds `value` (raw or escaped), tags stripped.
pub fn found_on(text: &str, value: &str) -> Option<String> {
    text.lines().find(|line| reveals(line, value)).map(readable)
}

/// A line of HTML as text: tags dropped, the entities the page uses decoded, cut short.
fn readable(line: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in line.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                out.push(' ');
            }
            c if !in_tag => out.push(c),
            _ => {}
        }
    }
    let text = out
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The page's `<h1>`, as text.
fn first_heading(body: &str) -> String {
    body.split_once("<h1>")
        .and_then(|(_, rest)| rest.split_once("</h1>"))
        .map_or_else(|| "no heading".to_owned(), |(h, _)| readable(h))
}
