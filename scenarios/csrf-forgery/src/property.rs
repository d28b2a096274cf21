//! What each fix promises, as functions over a variant's pieces; written apart from the
//! fixes (the unmasking below is Django's `_unmask_cipher_token`, again, as the spec).

use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::browser::Browser;
use crate::model::{
    ALLOWED_CHARS, CheckFn, FormTokenFn, Post, SECRET_LENGTH, SessionCookieFn, random_string,
};

/// Tokens drawn per case.
pub const TOKENS: usize = 8;

/// A POST from the bank's own page carrying `token` for a session with `secret`.
pub fn own_post<'a>(secret: &'a str, token: Option<&'a str>) -> Post<'a> {
    Post {
        host: "bank.test",
        origin: Some("http://bank.test"),
        referer: Some("http://bank.test/transfer"),
        session_secret: secret,
        form_token: token,
    }
}

/// For a session secret drawn with `seed`: every token `form_token` hands out is 64
/// characters that unmask to the secret, no two are alike, and `check` accepts each; a
/// random token, each token with one character changed (at `flip`), and no token at all
/// are refused.
pub fn tokens_mask_the_secret(
    form_token: FormTokenFn,
    check: CheckFn,
    seed: u64,
    flip: usize,
) -> Result<(), String> {
    let mut rng = StdRng::seed_from_u64(seed);
    let secret = random_string(&mut rng, SECRET_LENGTH);
    let mut seen: Vec<String> = Vec::new();
    for _ in 0..TOKENS {
        let token = form_token(&secret, &mut rng).ok_or("the form carries no token")?;
        match unmask(&token) {
            Some(s) if s == secret => {}
            Some(s) => {
                return Err(format!(
                    "token {token} unmasks to {s}, not the secret {secret}"
                ));
            }
            None => {
                return Err(format!(
                    "token {token:?} is not 64 characters of the alphabet"
                ));
            }
        }
        if seen.contains(&token) {
            return Err(format!("token {token} was handed out twice"));
        }
        check(&own_post(&secret, Some(&token)))
            .map_err(|r| format!("own token {token} refused: {}", r.0))?;
        let mut changed = token.clone().into_bytes();
        let i = flip % changed.len();
        let chars = ALLOWED_CHARS.as_bytes();
        let at = chars.iter().position(|c| *c == changed[i]).unwrap_or(0);
        changed[i] = chars[(at + 1) % chars.len()];
        let changed = String::from_utf8(changed).unwrap_or_default();
        if check(&own_post(&secret, Some(&changed))).is_ok() {
            return Err(format!(
                "token {changed} (one character changed) was accepted"
            ));
        }
        seen.push(token);
    }
    let random = random_string(&mut rng, 2 * SECRET_LENGTH);
    if unmask(&random).as_deref() != Some(secret.as_str())
        && check(&own_post(&secret, Some(&random))).is_ok()
    {
        return Err(format!("the random token {random} was accepted"));
    }
    if check(&own_post(&secret, None)).is_ok() {
        return Err("a POST without a token was accepted".into());
    }
    Ok(())
}

/// `check` accepts a POST whose `Origin` is the bank's own and refuses one from `origin`
/// whenever that is another origin (another host, scheme or port).
pub fn foreign_origins_are_refused(check: CheckFn, origin: &str) -> Result<(), String> {
    let secret = "s".repeat(SECRET_LENGTH);
    check(&own_post(&secret, None))
        .map_err(|r| format!("the bank's own origin was refused: {}", r.0))?;
    let foreign = Post {
        origin: Some(origin),
        referer: Some("http://bank.test/transfer"),
        ..own_post(&secret, None)
    };
    if origin != "http://bank.test" && check(&foreign).is_ok() {
        return Err(format!("a POST with Origin {origin} was accepted"));
    }
    Ok(())
}

/// A browser that received `session_cookie(key)` from the bank sends it on a POST from
/// the bank's own page, and not on a POST from another site's page.
pub fn cookie_stays_off_cross_site_posts(
    session_cookie: SessionCookieFn,
    key: &str,
) -> Result<(), String> {
    let url = |s: &str| reqwest::Url::parse(s).map_err(|e| e.to_string());
    let (bank, transfer, attacker) = (
        url("http://bank.test/login")?,
        url("http://bank.test/transfer")?,
        url("http://attacker.test/")?,
    );
    let mut browser = Browser::new(&[]).map_err(|e| e.to_string())?;
    let cookie = session_cookie(key);
    browser.store(&bank, &cookie);
    if browser
        .cookie_header(&transfer, Some(&transfer), "POST")
        .is_none()
    {
        return Err(format!("{cookie:?} is not sent on the bank's own POST"));
    }
    if let Some(sent) = browser.cookie_header(&transfer, Some(&attacker), "POST") {
        return Err(format!(
            "{cookie:?} is sent on attacker.test's POST as {sent:?}"
        ));
    }
    Ok(())
}

/// Django's `_unmask_cipher_token`, for 64 characters of the alphabet.
pub fn unmask(token: &str) -> Option<String> {
    let index = |b: &u8| ALLOWED_CHARS.bytes().position(|c| c == *b);
    if token.len() != 2 * SECRET_LENGTH {
        return None;
    }
    let (mask, cipher) = token.as_bytes().split_at(SECRET_LENGTH);
    let n = ALLOWED_CHARS.len();
    cipher
        .iter()
        .zip(mask)
        .map(|(c, m)| {
            Some(char::from(
                ALLOWED_CHARS.as_bytes()[(index(c)? + n - index(m)?) % n],
            ))
        })
        .collect()
}
