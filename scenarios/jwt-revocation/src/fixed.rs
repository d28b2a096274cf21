//! The fix: access tokens that live five minutes and carry the user's token version,
//! checked against the database on every request (one indexed lookup); logout and a
//! password change bump the version. Long sessions come from refresh tokens kept on the
//! server - stored hashed, rotated on every use, revoked with the version, and a reused
//! one (a copy stolen before it was rotated) revokes them all.

use hmac::{Hmac, KeyInit, Mac};
use rusqlite::{Connection, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::model::{
    Auth, Claims, Issued, MINUTE, Principal, Reject, SECRET_KEY, check_password, decode, encode,
    password_hash,
};

/// The token version on each user, and the refresh tokens, stored as SHA-256 hashes.
pub const SCHEMA: &str = "
ALTER TABLE auth_user ADD COLUMN token_version INTEGER NOT NULL DEFAULT 0;
CREATE TABLE auth_refresh_token (
    id         INTEGER PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES auth_user (id),
    token_hash TEXT NOT NULL UNIQUE,
    expires    INTEGER NOT NULL,
    rotated    INTEGER NOT NULL DEFAULT 0,
    revoked    INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX auth_refresh_token_user ON auth_refresh_token (user_id);
";

/// How long an access token lives: five minutes, the most a copy can be used after
/// anything the version check cannot see (it sees logout and password changes).
pub const ACCESS_TTL: u64 = 5 * MINUTE;
/// How long a refresh token lives: fourteen days.
const REFRESH_TTL: u64 = 14 * 24 * 60 * MINUTE;

/// The app with the fix.
pub const AUTH: Auth = Auth {
    schema: SCHEMA,
    login,
    authenticate,
    logout,
    change_password,
    refresh,
};

/// `POST /login`: a five-minute access token with the user's version, and a refresh token.
pub fn login(
    conn: &Connection,
    username: &str,
    password: &str,
    now: u64,
) -> Result<Issued, Reject> {
    let user = check_password(conn, username, password)?;
    issue(conn, user, now)
}

/// Every authenticated request: the signature and expiry, then the user's row.
pub fn authenticate(conn: &Connection, token: &str, now: u64) -> Result<Principal, Reject> {
    let claims = decode(token, now)?;
    // FIX: one lookup per request, by primary key: the token is good only while the
    // user's token version is the one it was issued with.
    let looked_up: Option<(String, i64)> = conn
        .query_row(
            "SELECT username, token_version FROM auth_user WHERE id = ?1",
            [claims.sub],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    match looked_up {
        Some((username, version)) if claims.ver == Some(version) => Ok(Principal {
            user: claims.sub,
            username,
        }),
        _ => Err(Reject::Revoked),
    }
}

/// `POST /logout`: every token of the user stops working.
pub fn logout(conn: &Connection, principal: &Principal, _now: u64) -> Result<(), Reject> {
    // FIX: the server forgets the session for real: a new version, and no refresh token.
    revoke_all(conn, principal.user)
}

/// `POST /password`: the new hash, and every earlier token revoked.
pub fn change_password(
    conn: &Connection,
    principal: &Principal,
    password: &str,
    _now: u64,
) -> Result<(), Reject> {
    conn.execute(
        "UPDATE auth_user SET password = ?1 WHERE id = ?2",
        (password_hash(&principal.username, password), principal.user),
    )?;
    // FIX: a new password ends every session, the attacker's included.
    revoke_all(conn, principal.user)
}

/// `POST /refresh`: trades a refresh token for new tokens, once.
pub fn refresh(conn: &Connection, token: &str, now: u64) -> Result<Issued, Reject> {
    let found: Option<(i64, i64, i64, bool, bool)> = conn
        .query_row(
            "SELECT id, user_id, expires, rotated, revoked FROM auth_refresh_token \
             WHERE token_hash = ?1",
            [hash(token)],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((id, user, expires, rotated, revoked)) = found else {
        return Err(Reject::Revoked);
    };
    if revoked {
        return Err(Reject::Revoked);
    }
    if rotated {
        // FIX: a rotated token used again means two holders - the user and a thief. Which
        // one is which is unknowable, so both lose every session.
        revoke_all(conn, user)?;
        return Err(Reject::Revoked);
    }
    if i64::try_from(now).map_or(true, |now| now >= expires) {
        return Err(Reject::Expired);
    }
    // FIX: rotation: this refresh token is spent.
    conn.execute(
        "UPDATE auth_refresh_token SET rotated = 1 WHERE id = ?1",
        [id],
    )?;
    issue(conn, user, now)
}

/// A new access token with the user's current version, and a new refresh token.
fn issue(conn: &Connection, user: i64, now: u64) -> Result<Issued, Reject> {
    let (name, version): (String, i64) = conn.query_row(
        "SELECT username, token_version FROM auth_user WHERE id = ?1",
        [user],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let claims = Claims {
        sub: user,
        name,
        iat: now,
        exp: now + ACCESS_TTL,
        ver: Some(version),
    };
    // An opaque refresh token: unguessable without the key, the same on every run.
    let id: i64 = conn.query_row(
        "SELECT COALESCE(MAX(id), 0) + 1 FROM auth_refresh_token",
        [],
        |r| r.get(0),
    )?;
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET_KEY).expect("HMAC takes any key");
    mac.update(format!("refresh:{id}:{user}:{now}").as_bytes());
    let refresh: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    conn.execute(
        "INSERT INTO auth_refresh_token (id, user_id, token_hash, expires) VALUES (?1, ?2, ?3, ?4)",
        (id, user, hash(&refresh), seconds(now + REFRESH_TTL)),
    )?;
    Ok(Issued {
        access: encode(&claims),
        refresh: Some(refresh),
    })
}

/// A new token version for `user`, and none of their refresh tokens left usable.
fn revoke_all(conn: &Connection, user: i64) -> Result<(), Reject> {
    conn.execute(
        "UPDATE auth_user SET token_version = token_version + 1 WHERE id = ?1",
        [user],
    )?;
    conn.execute(
        "UPDATE auth_refresh_token SET revoked = 1 WHERE user_id = ?1",
        [user],
    )?;
    Ok(())
}

/// A refresh token as the table stores it: its SHA-256, so a copy of the table is no key.
fn hash(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// A time on the injected clock as SQLite stores an integer.
fn seconds(time: u64) -> i64 {
    i64::try_from(time).expect("a date in range")
}
