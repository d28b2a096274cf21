//! What every variant shares: the subscriber table, the two purposes a link can serve,
//! the injected clock, the token API (Django's `signing.dumps`/`loads`) and its error.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;

/// Mints the token a link carries: `value` for one purpose (`salt`), with the server's
/// `key`, at `now` (seconds on the injected clock). Django: `signing.dumps(value,
/// key=key, salt=salt)`.
pub type DumpsFn = fn(key: &[u8], salt: &str, value: &Value, now: u64) -> String;

/// Reads a token back: the value, or why it must not be trusted. `max_age` in seconds
/// (`None`: no limit). Django: `signing.loads(token, key=key, salt=salt, max_age=...)`.
pub type LoadsFn = fn(
    key: &[u8],
    salt: &str,
    token: &str,
    max_age: Option<u64>,
    now: u64,
) -> Result<Value, BadSignature>;

/// One way of minting and reading link tokens: every variant and every fix has both.
#[derive(Debug, Clone, Copy)]
pub struct Tokens {
    pub dumps: DumpsFn,
    pub loads: LoadsFn,
}

/// Why a token (its signature, or its age) was refused. Django: `BadSignature`, and `SignatureExpired`, a kind of it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadSignature {
    #[error("bad signature: {0}")]
    Bad(String),
    #[error("signature age {age} > {max_age} seconds")]
    Expired { age: u64, max_age: u64 },
}

/// The server's secret (Django's `SECRET_KEY`); the attacker never sees it.
pub const SECRET_KEY: &[u8] = b"lab-secret-key-never-shown-to-subscribers";

/// The purpose of a link in the newsletter mails and the sign-up page: leave the list.
pub const UNSUBSCRIBE: &str = "newsletter.unsubscribe";
/// The purpose of the link in the confirmation mail: double opt-in.
pub const CONFIRM: &str = "newsletter.confirm";

/// How long a confirmation link is good for: two days.
pub const CONFIRM_MAX_AGE: u64 = 2 * DAY;
/// How long an unsubscribe link is good for: sixty days.
pub const UNSUBSCRIBE_MAX_AGE: u64 = 60 * DAY;
/// Seconds in a day.
pub const DAY: u64 = 24 * 60 * 60;

/// The injected clock's start: 2025-01-06 09:00:00 UTC, in Unix seconds.
pub const START: u64 = 1_736_154_000;

/// The table Django creates for a `Subscriber` model in the `newsletter` app.
pub const SCHEMA: &str = "
CREATE TABLE newsletter_subscriber (
    id         INTEGER PRIMARY KEY,
    email      TEXT NOT NULL UNIQUE,
    confirmed  INTEGER NOT NULL,
    subscribed INTEGER NOT NULL
);
";

/// The subscribers before the story: ann and bob, confirmed and on the list.
pub const SEED: [&str; 2] = ["ann@example.com", "bob@example.com"];

/// What a link's token carries: the subscriber's id, `{"id": 3}`.
pub fn payload(id: i64) -> Value {
    serde_json::json!({ "id": id })
}

/// Django's `b64_encode`: URL-safe base64 with the `=` padding stripped.
pub fn b64_encode(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Django's `b64_decode`: the reverse of [`b64_encode`].
pub fn b64_decode(text: &str) -> Result<Vec<u8>, BadSignature> {
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|e| BadSignature::Bad(format!("not base64: {e}")))
}

/// Django's `JSONSerializer`: compact JSON (`separators=(",", ":")`).
pub fn to_json(value: &Value) -> Vec<u8> {
    serde_json::to_vec(value).expect("a JSON value always serializes")
}

/// The reverse of [`to_json`].
pub fn from_json(bytes: &[u8]) -> Result<Value, BadSignature> {
    serde_json::from_slice(bytes).map_err(|e| BadSignature::Bad(format!("not JSON: {e}")))
}
