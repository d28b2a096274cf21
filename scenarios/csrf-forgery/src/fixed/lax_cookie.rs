//! The fix of the cookie: `SameSite=Lax` keeps the session cookie off another site's POST.

use rand::rngs::StdRng;

use crate::model::{Post, Refusal, SESSION_COOKIE};

/// The transfer form carries no hidden token.
#[expect(unused_variables, reason = "this form has no hidden field")]
pub fn form_token(session_secret: &str, rng: &mut StdRng) -> Option<String> {
    None
}

/// A logged-in session may post a transfer: the cookie decides who is logged in.
#[expect(unused_variables, reason = "nothing of the request is checked")]
pub fn check(post: &Post<'_>) -> Result<(), Refusal> {
    Ok(())
}

/// The session cookie, marked `SameSite=Lax`.
pub fn session_cookie(session_key: &str) -> String {
    // FIX: a browser sends a Lax cookie on a cross-site request only for a top-level GET,
    // so the attacker's POST arrives without a session (Django's `SESSION_COOKIE_SAMESITE`,
    // 'Lax' by default).
    format!("{SESSION_COOKIE}={session_key}; Path=/; HttpOnly; SameSite=Lax")
}
