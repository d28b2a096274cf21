//! The fix: Django's `signing.dumps`/`loads` - the payload, a base62 timestamp and an
//! HMAC-SHA256 keyed per purpose (`salt + "signer"` + the secret), checked in constant
//! time, then the age against `max_age`. Signed, not encrypted: the payload stays readable.

use hmac::{Hmac, KeyInit, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::model::{BadSignature, b64_decode, b64_encode, from_json, to_json};

/// `payload:timestamp:signature`, what `signing.dumps(value, key=key, salt=salt)` returns.
pub fn dumps(key: &[u8], salt: &str, value: &Value, now: u64) -> String {
    // FIX: the value is followed by the time it was signed, and both are signed.
    let value = format!("{}:{}", b64_encode(&to_json(value)), b62_encode(now));
    let signature = signature(key, salt, &value);
    format!("{value}:{signature}")
}

/// The value, if the signature matches for this purpose and the token is not too old.
pub fn loads(
    key: &[u8],
    salt: &str,
    token: &str,
    max_age: Option<u64>,
    now: u64,
) -> Result<Value, BadSignature> {
    let Some((value, sig)) = token.rsplit_once(':') else {
        return Err(BadSignature::Bad("no \":\" found in value".into()));
    };
    // FIX: compared in constant time, with the signature for this purpose's salt.
    if !bool::from(signature(key, salt, value).as_bytes().ct_eq(sig.as_bytes())) {
        return Err(BadSignature::Bad(format!(
            "signature {sig:?} does not match"
        )));
    }
    let Some((payload, timestamp)) = value.rsplit_once(':') else {
        return Err(BadSignature::Bad("no timestamp in value".into()));
    };
    let signed_at = b62_decode(timestamp)?;
    // FIX: too old is refused, like a bad signature (Django's SignatureExpired).
    if let Some(max_age) = max_age {
        let age = now.saturating_sub(signed_at);
        if age > max_age {
            return Err(BadSignature::Expired { age, max_age });
        }
    }
    from_json(&b64_decode(payload)?)
}

/// Django's `base64_hmac(salt + "signer", value, key, algorithm="sha256")`: HMAC-SHA256 of
/// `value` under the key `sha256(salt + "signer" + key)` (`salted_hmac`), in base64.
fn signature(key: &[u8], salt: &str, value: &str) -> String {
    let mut derived = Sha256::new();
    derived.update(format!("{salt}signer").as_bytes());
    derived.update(key);
    let mut mac = Hmac::<Sha256>::new_from_slice(&derived.finalize())
        .expect("HMAC takes a key of any length");
    mac.update(value.as_bytes());
    b64_encode(&mac.finalize().into_bytes())
}

/// Django's base62 alphabet for timestamps.
const B62: &[u8; 62] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/// Django's `b62_encode` of a non-negative number.
fn b62_encode(mut n: u64) -> String {
    let mut digits = Vec::new();
    loop {
        digits.push(B62[(n % 62) as usize]);
        n /= 62;
        if n == 0 {
            break;
        }
    }
    digits.reverse();
    String::from_utf8(digits).expect("base62 digits are ASCII")
}

/// Django's `b62_decode` (without the `-` sign, which a timestamp never has).
fn b62_decode(text: &str) -> Result<u64, BadSignature> {
    text.bytes().try_fold(0u64, |n, c| {
        let digit = B62.iter().position(|&d| d == c);
        digit
            .and_then(|d| n.checked_mul(62)?.checked_add(d as u64))
            .ok_or_else(|| BadSignature::Bad(format!("timestamp {text:?} is not base62")))
    })
}
