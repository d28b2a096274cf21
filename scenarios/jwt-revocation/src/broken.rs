//! The pitfall: stateless JSON Web Tokens. A request is authenticated by the token's
//! signature and expiry alone, so nothing the server does afterwards - a logout, a new
//! password - reaches a token already issued: it works until it expires, a day later.

use rusqlite::Connection;

use crate::model::{
    Auth, Claims, Issued, MINUTE, Principal, Reject, check_password, decode, encode, password_hash,
};

/// Nothing beyond the user table: the server keeps no state about tokens.
pub const SCHEMA: &str = "";

/// How long an access token lives: a day, so that users are not asked to log in often.
pub const ACCESS_TTL: u64 = 24 * 60 * MINUTE;

/// The app as it is.
pub const AUTH: Auth = Auth {
    schema: SCHEMA,
    login,
    authenticate,
    logout,
    change_password,
    refresh,
};

/// `POST /login`: a token for a day.
pub fn login(
    conn: &Connection,
    username: &str,
    password: &str,
    now: u64,
) -> Result<Issued, Reject> {
    let user = check_password(conn, username, password)?;
    let claims = Claims {
        sub: user,
        name: username.to_owned(),
        iat: now,
        exp: now + ACCESS_TTL,
        ver: None,
    };
    Ok(Issued {
        access: encode(&claims),
        refresh: None,
    })
}

/// Every authenticated request.
pub fn authenticate(conn: &Connection, token: &str, now: u64) -> Result<Principal, Reject> {
    let _ = conn;
    // PITFALL: a valid signature and an `exp` in the future are all that is checked - no
    // lookup, no state: a token the user "logged out" of, or issued before a password
    // change, passes exactly as before.
    let claims = decode(token, now)?;
    Ok(Principal {
        user: claims.sub,
        username: claims.name,
    })
}

/// `POST /logout`: the client is told to forget its token.
pub fn logout(conn: &Connection, principal: &Principal, _now: u64) -> Result<(), Reject> {
    let _ = (conn, principal);
    // PITFALL: there is nothing to delete on the server; a copy of the token elsewhere
    // (a proxy log, a stolen laptop, an XSS) keeps working.
    Ok(())
}

/// `POST /password`: the new password's hash is stored.
pub fn change_password(
    conn: &Connection,
    principal: &Principal,
    password: &str,
    _now: u64,
) -> Result<(), Reject> {
    // PITFALL: the password is part of no token: every token issued with the old one
    // stays valid - the attacker the user changed it to lock out is still in.
    conn.execute(
        "UPDATE auth_user SET password = ?1 WHERE id = ?2",
        (password_hash(&principal.username, password), principal.user),
    )?;
    Ok(())
}

/// `POST /refresh`: this app issues no refresh tokens (the access token lives a day).
pub fn refresh(conn: &Connection, token: &str, now: u64) -> Result<Issued, Reject> {
    let _ = (conn, token, now);
    Err(Reject::Bad("this app issues no refresh tokens".to_owned()))
}
