//! The pitfall: the link carries the subscriber's id base64-encoded - opaque to the eye,
//! readable and writable by anyone - with no signature, no purpose and no timestamp.

use serde_json::Value;

use crate::model::{BadSignature, b64_decode, b64_encode, from_json, to_json};

/// The token: the JSON value in URL-safe base64, what `urlsafe_base64_encode` of the
/// payload gives in Django.
#[expect(
    unused_variables,
    reason = "this is the pitfall: the key, the purpose and the time are ignored"
)]
pub fn dumps(key: &[u8], salt: &str, value: &Value, now: u64) -> String {
    // PITFALL: encoding is not signing. Nothing ties the token to the server's key, to the
    // link's purpose or to the time it was minted: whoever holds a link can write any id
    // into it, use it at another endpoint, and keep using it forever.
    b64_encode(&to_json(value))
}

/// Reads the id back: whatever decodes is trusted.
#[expect(
    unused_variables,
    reason = "this is the pitfall: the key, the purpose and the age are ignored"
)]
pub fn loads(
    key: &[u8],
    salt: &str,
    token: &str,
    max_age: Option<u64>,
    now: u64,
) -> Result<Value, BadSignature> {
    // PITFALL: a token that decodes is accepted, whoever wrote it, for any purpose, at any
    // age.
    from_json(&b64_decode(token)?)
}
