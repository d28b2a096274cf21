//! The fix Django's `CsrfViewMiddleware` relies on: a per-session secret, sent masked in
//! every form (`{% csrf_token %}`) and checked in constant time on every POST.

use rand::rngs::StdRng;
use subtle::ConstantTimeEq;

use crate::model::{ALLOWED_CHARS, Post, Refusal, SECRET_LENGTH, SESSION_COOKIE, random_string};

/// The transfer form carries the session's secret, masked afresh for this response.
pub fn form_token(session_secret: &str, rng: &mut StdRng) -> Option<String> {
    // FIX: a fresh mask, then per character (secret + mask) mod 62, as Django's
    // `_mask_cipher_secret`: the token differs every response, the secret inside does not.
    let mask = random_string(rng, SECRET_LENGTH);
    let cipher: String = session_secret
        .bytes()
        .zip(mask.bytes())
        .map(|(s, m)| shift(index(s)? + index(m)?))
        .collect::<Option<_>>()?;
    Some(mask + &cipher)
}

/// A POST must carry a token that unmasks to the session's secret.
pub fn check(post: &Post<'_>) -> Result<(), Refusal> {
    // FIX: no token, no transfer: another site's form cannot know the secret.
    let token = post
        .form_token
        .ok_or_else(|| Refusal("CSRF token missing".into()))?;
    let secret =
        unmask(token).ok_or_else(|| Refusal("CSRF token has an incorrect format".into()))?;
    // FIX: compared in constant time (Django's `constant_time_compare`), so the time a
    // wrong guess takes says nothing about how many characters were right.
    if bool::from(secret.as_bytes().ct_eq(post.session_secret.as_bytes())) {
        Ok(())
    } else {
        Err(Refusal("CSRF token incorrect".into()))
    }
}

/// The session cookie, unchanged: the token does the work.
pub fn session_cookie(session_key: &str) -> String {
    format!("{SESSION_COOKIE}={session_key}; Path=/; HttpOnly")
}

/// Django's `_unmask_cipher_token`: per character (cipher - mask) mod 62. `None` unless
/// the token is 64 characters of the alphabet.
fn unmask(token: &str) -> Option<String> {
    if token.len() != 2 * SECRET_LENGTH {
        return None;
    }
    let (mask, cipher) = token.as_bytes().split_at(SECRET_LENGTH);
    cipher
        .iter()
        .zip(mask)
        .map(|(&c, &m)| shift(index(c)? + ALLOWED_CHARS.len() - index(m)?))
        .collect()
}

/// The position of `byte` in [`ALLOWED_CHARS`].
fn index(byte: u8) -> Option<usize> {
    ALLOWED_CHARS.bytes().position(|c| c == byte)
}

/// The character at `i` mod 62.
fn shift(i: usize) -> Option<char> {
    Some(char::from(
        ALLOWED_CHARS.as_bytes()[i % ALLOWED_CHARS.len()],
    ))
}
