//! The fix of Django's Origin check: a POST must come from a page of the bank's own origin.

use rand::rngs::StdRng;

use crate::model::{Post, Refusal, SESSION_COOKIE};

/// The transfer form carries no hidden token: the check reads headers.
#[expect(unused_variables, reason = "this form has no hidden field")]
pub fn form_token(session_secret: &str, rng: &mut StdRng) -> Option<String> {
    None
}

/// A POST's `Origin` (or, without one, its `Referer`) must be the bank's own origin.
pub fn check(post: &Post<'_>) -> Result<(), Refusal> {
    // FIX: the browser names the page that sent the form, and a page cannot choose what
    // its browser puts there. Django compares `Origin` with the request's scheme and host
    // (and `CSRF_TRUSTED_ORIGINS`).
    let own = format!("http://{}", post.host);
    match (post.origin, post.referer) {
        (Some(origin), _) if origin == own => Ok(()),
        (Some(origin), _) => Err(Refusal(format!(
            "Origin checking failed - {origin} does not match any trusted origins."
        ))),
        // FIX: without `Origin`, the Referer must be a page of the same origin (Django
        // checks it on HTTPS only); with neither, the POST is refused.
        (None, Some(referer))
            if referer
                .strip_prefix(&own)
                .is_some_and(|rest| rest.starts_with('/')) =>
        {
            Ok(())
        }
        (None, Some(_)) => Err(Refusal(
            "Referer checking failed - does not match any trusted origins.".into(),
        )),
        (None, None) => Err(Refusal("Origin and Referer missing".into())),
    }
}

/// The session cookie, unchanged: the check does the work.
pub fn session_cookie(session_key: &str) -> String {
    format!("{SESSION_COOKIE}={session_key}; Path=/; HttpOnly")
}
