//! The properties, runnable against any [`ServerErrorFn`]: for generated settings whose
//! values carry secrets (under any name, in URLs, in nested lists and maps), no error
//! response body shows a secret; and the log holds the report with every secret-looking
//! value masked.

use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{FAILING_PATH, SECRETS, ServerErrorFn, Settings, reveals};
use crate::run::exchange;

/// Cases per property run: each one serves the app on loopback and requests a page.
pub const CASES: u32 = 64;

/// Words of Django's name pattern, to build names it hides.
pub const HIDDEN_WORDS: [&str; 8] = [
    "API",
    "AUTH",
    "TOKEN",
    "KEY",
    "SECRET",
    "PASS",
    "SIGNATURE",
    "HTTP_COOKIE",
];

/// How a generated setting holds its secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Shape {
    /// The bare value under an innocent name: nothing about it looks secret.
    Bare,
    /// The bare value under a name with one of Django's hidden words appended.
    HiddenName(usize),
    /// The password of a database URL: `postgres://app:<secret>@db:5432/app`.
    UrlPassword,
    /// The user part of a DSN: `https://<secret>@errors.example.com/42`.
    UrlKey,
    /// A token: the secret repeated to at least 20 characters (letters and digits).
    Token,
}

/// Where the value sits inside the setting.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Nesting {
    Top,
    InList,
    InMap(String),
}

/// One generated setting: a name, a shape, a nesting and the secret's seed text.
pub type Entry = (String, Shape, Nesting, String);

/// Generated settings and the secret values they hold.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Case {
    pub settings: Settings,
    /// `(setting, secret value)`: what must never reach a client.
    pub secrets: Vec<(String, String)>,
}

/// The settings of `entries` (a repeated name keeps its first entry) with `DEBUG = True`.
pub fn case(entries: Vec<Entry>) -> Case {
    let mut settings = Map::new();
    let mut secrets = Vec::new();
    settings.insert("DEBUG".into(), Value::Bool(true));
    for (name, shape, nesting, seed) in entries {
        let name = match shape {
            Shape::HiddenName(word) => {
                format!("{name}_{}", HIDDEN_WORDS[word % HIDDEN_WORDS.len()])
            }
            _ => name,
        };
        if settings.contains_key(&name) {
            continue;
        }
        let secret = match shape {
            Shape::Token => seed.repeat(20_usize.div_ceil(seed.len().max(1))),
            _ => seed,
        };
        let text = match shape {
            Shape::Bare | Shape::HiddenName(_) | Shape::Token => secret.clone(),
            Shape::UrlPassword => format!("postgres://app:{secret}@db:5432/app"),
            Shape::UrlKey => format!("https://{secret}@errors.example.com/42"),
        };
        let value = match nesting {
            Nesting::Top => Value::from(text),
            Nesting::InList => json!(["first", text]),
            Nesting::InMap(key) => json!({ key: text }),
        };
        settings.insert(name.clone(), value);
        secrets.push((name, secret));
    }
    Case { settings, secrets }
}

/// The failing page, served with `case`'s settings through `server_error`, answers 500
/// and its body holds none of the case's secrets nor the client's own credentials.
pub fn error_body_reveals_no_secret(
    server_error: ServerErrorFn,
    case: &Case,
) -> Result<(), String> {
    let got = exchange(case.settings.clone(), server_error).map_err(|e| e.to_string())?;
    if got.status != 500 {
        return Err(format!("the failing page answered {}, not 500", got.status));
    }
    let request_secrets = SECRETS
        .iter()
        .filter(|s| s.configured_in.starts_with("request"))
        .map(|s| (s.configured_in.to_owned(), s.value.to_owned()));
    for (place, value) in case.secrets.iter().cloned().chain(request_secrets) {
        if reveals(&got.body, &value) {
            return Err(format!(
                "the error page shows the secret {value:?} of {place}"
            ));
        }
    }
    Ok(())
}

/// After the failing request the log holds the report - the exception, the path and the
/// name of every setting - and none of the case's secrets (each of them looks secret by
/// its name, its place in a URL, or its length and mix of letters and digits).
pub fn log_reports_and_masks(server_error: ServerErrorFn, case: &Case) -> Result<(), String> {
    let got = exchange(case.settings.clone(), server_error).map_err(|e| e.to_string())?;
    let log = got.log.join("\n");
    for needed in ["ZeroDivisionError", FAILING_PATH] {
        if !log.contains(needed) {
            return Err(format!("the log does not mention {needed}"));
        }
    }
    for name in case.settings.keys() {
        if !log.lines().any(|l| l.starts_with(&format!("{name} = "))) {
            return Err(format!("the log has no line for the setting {name}"));
        }
    }
    for (place, value) in &case.secrets {
        if reveals(&log, value) {
            return Err(format!("the log shows the secret {value:?} of {place}"));
        }
    }
    Ok(())
}
