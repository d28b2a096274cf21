//! The pitfall: the transfer trusts the session cookie alone.

use rand::rngs::StdRng;

use crate::model::{Post, Refusal, SESSION_COOKIE};

/// The transfer form carries no hidden token.
#[expect(unused_variables, reason = "this form has no hidden field")]
pub fn form_token(session_secret: &str, rng: &mut StdRng) -> Option<String> {
    None
}

/// A logged-in session may post a transfer.
#[expect(unused_variables, reason = "nothing of the request is checked")]
pub fn check(post: &Post<'_>) -> Result<(), Refusal> {
    // PITFALL: the session cookie is the only proof asked for, and the browser attaches it
    // to every request to the bank, whichever site's page sent the form. A view marked
    // `@csrf_exempt` (or a middleware list without `CsrfViewMiddleware`) does this.
    Ok(())
}

/// The session cookie, as frameworks wrote it before SameSite existed.
pub fn session_cookie(session_key: &str) -> String {
    format!("{SESSION_COOKIE}={session_key}; Path=/; HttpOnly")
}
