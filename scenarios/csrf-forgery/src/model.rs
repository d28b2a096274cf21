//! What every variant shares: the bank's tables and seed, Django's CSRF constants, what a
//! defence sees of a POST, and the one variant type (`Defence`).

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};
use rusqlite::Connection;
use serde::Serialize;

/// Django's `CSRF_ALLOWED_CHARS`: `string.ascii_letters + string.digits`, 62 characters.
pub const ALLOWED_CHARS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

/// Django's `CSRF_SECRET_LENGTH`; a masked token is twice as long (`CSRF_TOKEN_LENGTH`).
pub const SECRET_LENGTH: usize = 32;

/// The form field Django's `{% csrf_token %}` renders and its middleware reads.
pub const TOKEN_FIELD: &str = "csrfmiddlewaretoken";

/// The session cookie's name (Django's `SESSION_COOKIE_NAME`).
pub const SESSION_COOKIE: &str = "sessionid";

/// The seed of the bank's random generator (session keys, secrets, masks), so every run
/// hands out the same values. A real server draws them from the OS (`secrets`).
pub const RNG_SEED: u64 = 2026;

/// The bank's host name and the attacker's: two sites, each served on its own loopback
/// port (the browser resolves both names to 127.0.0.1).
pub const BANK: &str = "http://bank.test";
pub const ATTACKER: &str = "http://attacker.test";

/// The accounts table (`bank_account`) and the sessions table the bank keeps, with the
/// per-session CSRF secret beside the user (Django's `CSRF_USE_SESSIONS = True`).
pub const SCHEMA: &str = "
CREATE TABLE bank_account (
    owner   TEXT PRIMARY KEY,
    balance INTEGER NOT NULL CHECK (balance >= 0)
);
CREATE TABLE bank_session (
    session_key TEXT PRIMARY KEY,
    owner       TEXT NOT NULL REFERENCES bank_account (owner),
    csrf_secret TEXT NOT NULL
);
";

/// The accounts before anyone acts: the victim, her landlord, the attacker.
pub const SEED: [(&str, i64); 3] = [("alice", 1000), ("bob", 0), ("mallory", 0)];

/// The victim, what she sends her landlord herself, and what the attacker's form asks.
pub const VICTIM: &str = "alice";
pub const OWN_TRANSFER: (&str, i64) = ("bob", 100);
pub const FORGED_TRANSFER: (&str, i64) = ("mallory", 500);

/// What a defence sees of a `POST /transfer` from a logged-in session: the request's
/// headers, the session's secret and the submitted token field.
#[derive(Debug, Clone, Copy)]
pub struct Post<'a> {
    /// The `Host` header (Django's `request.get_host()`), e.g. `bank.test`.
    pub host: &'a str,
    /// The `Origin` header, if the client sent one.
    pub origin: Option<&'a str>,
    /// The `Referer` header, if the client sent one.
    pub referer: Option<&'a str>,
    /// The session's CSRF secret, 32 characters of [`ALLOWED_CHARS`].
    pub session_secret: &'a str,
    /// The `csrfmiddlewaretoken` form field, if the form had one.
    pub form_token: Option<&'a str>,
}

/// Why a defence refused a POST; the bank answers `403 Forbidden` with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal(pub String);

/// What the bank's form rendering puts in its hidden field: `None` renders no field.
pub type FormTokenFn = fn(session_secret: &str, rng: &mut StdRng) -> Option<String>;
/// The check every state-changing POST goes through before the transfer runs.
pub type CheckFn = fn(post: &Post<'_>) -> Result<(), Refusal>;
/// The `Set-Cookie` value that starts a session with key `session_key`.
pub type SessionCookieFn = fn(session_key: &str) -> String;

/// One way of defending the bank: the broken code and each fix provide these three.
#[derive(Debug, Clone, Copy)]
pub struct Defence {
    pub form_token: FormTokenFn,
    pub check: CheckFn,
    pub session_cookie: SessionCookieFn,
}

/// The bank's random generator, seeded.
pub fn rng() -> StdRng {
    StdRng::seed_from_u64(RNG_SEED)
}

/// `n` characters drawn from [`ALLOWED_CHARS`] (Django's `get_random_string`).
pub fn random_string(rng: &mut StdRng, n: usize) -> String {
    let chars = ALLOWED_CHARS.as_bytes();
    (0..n)
        .map(|_| char::from(chars[rng.random_range(0..chars.len())]))
        .collect()
}

/// Creates the tables and the seeded accounts.
pub fn load(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    for (owner, balance) in SEED {
        conn.execute(
            "INSERT INTO bank_account (owner, balance) VALUES (?1, ?2)",
            (owner, balance),
        )?;
    }
    Ok(())
}

/// Every account's balance, by owner.
pub fn balances(conn: &Connection) -> rusqlite::Result<Vec<(String, i64)>> {
    let mut stmt = conn.prepare("SELECT owner, balance FROM bank_account ORDER BY owner")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}
