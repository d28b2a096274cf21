//! What every variant shares: the production settings with their secrets, the failure a
//! view hands to the server-error handler, the log it may write to, the pages, and the
//! one variant type.

use std::sync::{Arc, Mutex, PoisonError};

use serde::Serialize;
use serde_json::{Map, Value, json};

pub use crate::filter::{
    CLEANSED_SUBSTITUTE, HIDDEN_SETTINGS, SESSION_COOKIE_NAME, cleanse_setting, hidden_name,
};

/// The settings, by name, as Django's `settings` object holds them: strings, booleans,
/// lists and nested dictionaries.
pub type Settings = Map<String, Value>;

/// The one signature every variant has: what the app answers when a view fails. It gets
/// the failure (settings, request, exception) and the server's log, and returns the
/// response the client sees.
pub type ServerErrorFn = fn(failure: &Failure<'_>, log: &ErrorLog) -> ErrorResponse;

/// What the app knows when a view raised.
#[derive(Debug, Clone, Copy)]
pub struct Failure<'a> {
    pub settings: &'a Settings,
    pub request: &'a RequestInfo,
    /// The exception's type, `ZeroDivisionError`.
    pub exception: &'a str,
    /// The exception's message, `division by zero`.
    pub message: &'a str,
}

/// The failing request as Django's `request` shows it.
#[derive(Debug, Clone, Serialize)]
pub struct RequestInfo {
    pub method: String,
    pub path: String,
    /// `request.META`: the CGI variables and every header as `HTTP_<NAME>`, by name.
    pub meta: Vec<(String, String)>,
    /// `request.COOKIES`: the `Cookie` header's pairs.
    pub cookies: Vec<(String, String)>,
}

/// The response the handler returns for a failed view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ErrorResponse {
    pub status: u16,
    pub content_type: String,
    pub body: String,
}

/// The server's log: lines an operator reads, and the test reads after the request.
#[derive(Debug, Clone, Default)]
pub struct ErrorLog(Arc<Mutex<Vec<String>>>);

impl ErrorLog {
    /// Appends one record (it may span lines), as `logger.error(...)` would.
    pub fn write(&self, record: impl Into<String>) {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .push(record.into());
    }

    /// Every record written so far, oldest first.
    pub fn records(&self) -> Vec<String> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

/// The path of the view that fails.
pub const FAILING_PATH: &str = "/reports/monthly";

/// Whether the settings say `DEBUG = True`.
pub fn debug(settings: &Settings) -> bool {
    settings.get("DEBUG") == Some(&Value::Bool(true))
}

/// One secret the deployment holds, where it is configured, and its value: the truth
/// the attacker's search is judged against.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Secret {
    pub name: &'static str,
    pub configured_in: &'static str,
    pub value: &'static str,
}

/// The deployment's secrets. Each value occurs in the settings or the request below.
pub const SECRETS: [Secret; 9] = [
    Secret {
        name: "Django secret key",
        configured_in: "SECRET_KEY",
        value: "k3v9-q7Zt2wYp5xR8mN4bL6cH1dF0gJ-sE2uA7iO3eW9yT5rQ",
    },
    Secret {
        name: "database password",
        configured_in: "DATABASE_URL, DATABASES['default']['PASSWORD']",
        value: "correct-horse-battery-staple",
    },
    Secret {
        name: "Redis password",
        configured_in: "CACHES['default']['LOCATION']",
        value: "redis-pw-4c1f",
    },
    Secret {
        name: "Sentry DSN key",
        configured_in: "SENTRY_DSN",
        value: "3f9a2c41d8e64b0f9c7a5e21b4d6f803",
    },
    Secret {
        name: "AWS secret access key",
        configured_in: "AWS_SECRET_ACCESS_KEY",
        value: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    },
    Secret {
        name: "Stripe API key",
        configured_in: "STRIPE_API_KEY",
        value: "sk_lab_4eC39HqLyjWDarjtT1zdp7dc",
    },
    Secret {
        name: "alert webhook token",
        configured_in: "ALERT_WEBHOOKS[0]",
        value: "T04LAB77Q2/B07HOOK5XY/Xq81mZt0Lw3Rv9Nc4Kp2",
    },
    Secret {
        name: "session id",
        configured_in: "request Cookie header",
        value: "x2f8r0q9w7lkz3m5n1b6v4c8d2s0a9h7",
    },
    Secret {
        name: "bearer token",
        configured_in: "request Authorization header",
        value: "eyLab0.svc-reporting.Zm9yLWxhYi11c2Utb25seQ",
    },
];

/// The value of the secret called `name`.
pub fn secret(name: &str) -> &'static str {
    SECRETS
        .iter()
        .find(|s| s.name == name)
        .map(|s| s.value)
        .unwrap_or_else(|| panic!("no secret called {name:?}"))
}

/// The production settings, as `settings.py` builds them from the environment: the
/// mistake is `DEBUG = True`.
pub fn production_settings() -> Settings {
    let db_password = secret("database password");
    let settings = json!({
        "ALERT_WEBHOOKS": [format!("https://alerts.example.com/hooks/{}", secret("alert webhook token"))],
        "ALLOWED_HOSTS": ["app.example.com"],
        "AWS_SECRET_ACCESS_KEY": secret("AWS secret access key"),
        "AWS_STORAGE_BUCKET_NAME": "app-media",
        "CACHES": {"default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": format!("redis://:{}@cache:6379/0", secret("Redis password")),
        }},
        "DATABASES": {"default": {
            "ENGINE": "django.db.backends.postgresql",
            "HOST": "db",
            "NAME": "app",
            "PASSWORD": db_password,
            "PORT": "5432",
            "USER": "app",
        }},
        "DATABASE_URL": format!("postgres://app:{db_password}@db:5432/app"),
        "DEBUG": true,
        "SECRET_KEY": secret("Django secret key"),
        "SENTRY_DSN": format!("https://{}@o450123.ingest.sentry.io/5566778", secret("Sentry DSN key")),
        "STRIPE_API_KEY": secret("Stripe API key"),
        "TIME_ZONE": "Europe/Paris",
    });
    match settings {
        Value::Object(map) => map,
        _ => unreachable!("a JSON object"),
    }
}

/// The headers the client sends with its request: a logged-in session and a service's
/// bearer token.
pub fn client_headers() -> [(&'static str, String); 2] {
    [
        (
            "Cookie",
            format!("{SESSION_COOKIE_NAME}={}", secret("session id")),
        ),
        (
            "Authorization",
            format!("Bearer {}", secret("bearer token")),
        ),
    ]
}

/// Whether `body` holds `value`, as written or HTML-escaped (as a page shows it).
pub fn reveals(body: &str, value: &str) -> bool {
    body.contains(value) || body.contains(&html_escape(value))
}

/// Django's `escape`: `&`, `<`, `>`, `"` and `'` as entities.
pub fn html_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// Django's page when `DEBUG = False` and no `500.html` template exists
/// (`django.views.defaults.server_error`): no detail at all.
pub fn server_error_page() -> ErrorResponse {
    ErrorResponse {
        status: 500,
        content_type: "text/html; charset=utf-8".into(),
        body:
            "\n<!doctype html>\n<html lang=\"en\">\n<head>\n  <title>Server Error (500)</title>\n\
               </head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n"
                .into(),
    }
}

/// The record `django.request` logs for every unhandled exception: the message and the
/// exception (Python's logging adds the traceback).
pub fn request_log_record(failure: &Failure<'_>) -> String {
    format!(
        "ERROR django.request: Internal Server Error: {}\n{}: {}",
        failure.request.path, failure.exception, failure.message
    )
}
