//! The fix: the client always gets the generic 500 page; the full report goes to the
//! log, where values that look secret are masked as well as secret-looking names.

use serde_json::Value;

use crate::model::{
    CLEANSED_SUBSTITUTE, ErrorLog, ErrorResponse, Failure, hidden_name, request_log_record,
    server_error_page,
};
use crate::report::TechnicalReport;

/// What the app answers when a view fails: the same page whatever `DEBUG` says.
pub fn server_error(failure: &Failure<'_>, log: &ErrorLog) -> ErrorResponse {
    log.write(request_log_record(failure));
    // FIX: the details go to the operators' log, never into the response, and even there
    // every value is cleansed by its name and by what it looks like.
    log.write(TechnicalReport::new(failure, &cleanse).text());
    // FIX: the client learns that something failed, nothing more.
    server_error_page()
}

/// Django's name rule, then, for any string left, [`mask_values`].
fn cleanse(key: &str, value: &Value) -> Value {
    if hidden_name(key) {
        return Value::from(CLEANSED_SUBSTITUTE);
    }
    match value {
        Value::Object(map) => Value::Object(
            map.iter()
                .map(|(k, v)| (k.clone(), cleanse(k, v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(|v| cleanse("", v)).collect()),
        // FIX: a value is judged by its content too, not only by its name.
        Value::String(s) => Value::from(mask_values(s)),
        other => other.clone(),
    }
}

/// Characters of a token: base64 (both alphabets), hex, and key prefixes such as `sk_`.
fn token_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+' | '/' | '=')
}

/// Shortest run of token characters that is masked when it mixes letters and digits.
const TOKEN_MIN_LEN: usize = 20;

/// `text` with (1) the user-information part of every URL (`scheme://user:pass@`,
/// `https://key@` of a DSN) and (2) every run of at least [`TOKEN_MIN_LEN`] token
/// characters that holds both a letter and a digit replaced by the substitute.
fn mask_values(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    // (1) URL credentials: from `://` to the last `@` before the host ends.
    while let Some(at) = rest.find("://") {
        let (head, tail) = rest.split_at(at + 3);
        out.push_str(head);
        let authority_end = tail
            .find(|c: char| matches!(c, '/' | '?' | '#') || c.is_whitespace())
            .unwrap_or(tail.len());
        match tail[..authority_end].rfind('@') {
            Some(userinfo_end) => {
                out.push_str(CLEANSED_SUBSTITUTE);
                rest = &tail[userinfo_end..];
            }
            None => rest = tail,
        }
    }
    out.push_str(rest);
    // (2) Long tokens that mix letters and digits.
    let mut masked = String::with_capacity(out.len());
    let mut run = String::new();
    for c in out.chars().chain(std::iter::once(' ')) {
        if token_char(c) {
            run.push(c);
            continue;
        }
        let mixed =
            run.chars().any(|c| c.is_ascii_alphabetic()) && run.chars().any(|c| c.is_ascii_digit());
        if run.chars().count() >= TOKEN_MIN_LEN && mixed {
            masked.push_str(CLEANSED_SUBSTITUTE);
        } else {
            masked.push_str(&run);
        }
        run.clear();
        masked.push(c);
    }
    masked.pop();
    masked
}
