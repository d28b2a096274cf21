//! What every variant shares: the user table, the injected clock, HS256 JSON Web Tokens
//! (minted and verified here, for both variants), and the one variant type - an `Auth`,
//! the app's login, per-request check, logout, password change and refresh as plain
//! functions over a connection.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, KeyInit, Mac};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The app's code paths: `broken.rs` and the fix each expose one, `AUTH`.
#[derive(Debug, Clone, Copy)]
pub struct Auth {
    /// The tables, beyond [`USERS`], the variant needs.
    pub schema: &'static str,
    /// `POST /login`: checks the password and issues tokens.
    pub login: fn(&Connection, &str, &str, u64) -> Result<Issued, Reject>,
    /// Every authenticated request: who the bearer token says is asking, or why not.
    pub authenticate: fn(&Connection, &str, u64) -> Result<Principal, Reject>,
    /// `POST /logout` by an authenticated user.
    pub logout: fn(&Connection, &Principal, u64) -> Result<(), Reject>,
    /// `POST /password` by an authenticated user: the new password.
    pub change_password: fn(&Connection, &Principal, &str, u64) -> Result<(), Reject>,
    /// `POST /refresh`: a refresh token for new tokens.
    pub refresh: fn(&Connection, &str, u64) -> Result<Issued, Reject>,
}

/// What a login or a refresh hands the client.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Issued {
    pub access: String,
    /// A long-lived token the client trades for a new access token, where the variant
    /// has them.
    pub refresh: Option<String>,
}

/// Who a request is from, as the token says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    pub user: i64,
    pub username: String,
}

/// Why a request or a login is refused (401).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Reject {
    #[error("bad credentials")]
    Credentials,
    #[error("bad token: {0}")]
    Bad(String),
    #[error("token expired")]
    Expired,
    #[error("token revoked")]
    Revoked,
    #[error("{0}")]
    Db(String),
}

impl From<rusqlite::Error> for Reject {
    fn from(error: rusqlite::Error) -> Self {
        Reject::Db(error.to_string())
    }
}

/// A token's claims: the registered `sub`, `iat` and `exp`, the username, and a version
/// number (`ver`) where the variant records one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub sub: i64,
    pub name: String,
    pub iat: u64,
    pub exp: u64,
    #[serde(skip_serializing_if = "Option::is_none", default)]
    pub ver: Option<i64>,
}

/// The server's signing key; the attacker never sees it.
pub const SECRET_KEY: &[u8] = b"lab-jwt-key-never-shown-to-clients";

/// The injected clock's start: 2025-01-06 09:00:00 UTC, in Unix seconds.
pub const START: u64 = 1_736_154_000;
/// Seconds in a minute.
pub const MINUTE: u64 = 60;

/// The users, as every variant starts them: `password` is [`password_hash`]'s output.
pub const USERS: &str = "CREATE TABLE auth_user (
    id       INTEGER PRIMARY KEY,
    username TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL
);";

/// ann, with the password the story logs in with.
pub const ANN: (&str, &str) = ("ann", "correct horse");

/// A stand-in for Django's PBKDF2 hasher, `sha256$<salt>$<hex>`: the story needs only
/// that a new password gives a new hash, not a slow one.
pub fn password_hash(username: &str, password: &str) -> String {
    let digest = Sha256::digest(format!("{username}:{password}"));
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256${username}${hex}")
}

/// The user whose password is `password`, or [`Reject::Credentials`].
pub fn check_password(conn: &Connection, username: &str, password: &str) -> Result<i64, Reject> {
    let stored: Option<(i64, String)> = conn
        .query_row(
            "SELECT id, password FROM auth_user WHERE username = ?1",
            [username],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(e),
        })?;
    match stored {
        Some((id, hash)) if hash == password_hash(username, password) => Ok(id),
        _ => Err(Reject::Credentials),
    }
}

/// A signed HS256 token for `claims`: `base64url(header).base64url(claims).base64url(mac)`
/// (RFC 7519, with the JSON compact and `=` padding stripped).
pub fn encode(claims: &Claims) -> String {
    let header = URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#);
    let body = URL_SAFE_NO_PAD.encode(serde_json::to_vec(claims).expect("plain claims"));
    let signing_input = format!("{header}.{body}");
    let signature = URL_SAFE_NO_PAD.encode(mac(signing_input.as_bytes()).finalize().into_bytes());
    format!("{signing_input}.{signature}")
}

/// The claims of a token whose signature is the server's and whose `exp` has not passed
/// at `now`. This is all a stateless check can know.
pub fn decode(token: &str, now: u64) -> Result<Claims, Reject> {
    let bad = |why: &str| Reject::Bad(why.to_owned());
    let (signing_input, signature) = token.rsplit_once('.').ok_or_else(|| bad("not a JWT"))?;
    let (header, body) = signing_input
        .split_once('.')
        .ok_or_else(|| bad("not a JWT"))?;
    if header != URL_SAFE_NO_PAD.encode(br#"{"alg":"HS256","typ":"JWT"}"#) {
        return Err(bad("not an HS256 token"));
    }
    let signature = URL_SAFE_NO_PAD
        .decode(signature)
        .map_err(|_| bad("signature not base64"))?;
    // Constant time: `verify_slice` compares with `subtle`.
    mac(signing_input.as_bytes())
        .verify_slice(&signature)
        .map_err(|_| bad("signature mismatch"))?;
    let body = URL_SAFE_NO_PAD
        .decode(body)
        .map_err(|_| bad("claims not base64"))?;
    let claims: Claims = serde_json::from_slice(&body).map_err(|e| bad(&e.to_string()))?;
    if now >= claims.exp {
        return Err(Reject::Expired);
    }
    Ok(claims)
}

/// An HMAC-SHA256 keyed with [`SECRET_KEY`], fed `input`.
fn mac(input: &[u8]) -> Hmac<Sha256> {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET_KEY).expect("HMAC takes any key");
    mac.update(input);
    mac
}

/// The claims of any well-formed token, unchecked: what a client (or the lab's truth)
/// can read from a token without the key.
pub fn peek(token: &str) -> Option<Claims> {
    let body = token.split('.').nth(1)?;
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(body).ok()?).ok()
}
