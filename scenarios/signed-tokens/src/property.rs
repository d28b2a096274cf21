//! The properties every safe token scheme satisfies, runnable against any [`Tokens`]: a
//! token round-trips; every single-byte change of it is refused; a token minted for one
//! purpose never validates for another; a token older than its max age is refused.

use crate::model::{CONFIRM, CONFIRM_MAX_AGE, SECRET_KEY, Tokens, UNSUBSCRIBE, payload};

/// Cases per property run.
pub const CASES: u32 = 64;

/// The characters a mutation writes: URL-safe base64, and the `:`, `.` and `=` a token
/// format might use. Every position of the token gets every one of them.
pub const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_:.=";

/// Subscriber `id`'s unsubscribe token minted at `now` reads back as `{"id": id}`, and
/// each token that differs from it in exactly one byte (every position, every character
/// of [`ALPHABET`]) is refused.
pub fn every_single_byte_mutation_is_refused(
    tokens: Tokens,
    id: i64,
    now: u64,
) -> Result<(), String> {
    let token = (tokens.dumps)(SECRET_KEY, UNSUBSCRIBE, &payload(id), now);
    round_trips(tokens, UNSUBSCRIBE, &token, now, id)?;
    for (i, original) in token.bytes().enumerate() {
        for &c in ALPHABET.iter().filter(|&&c| c != original) {
            let mut bytes = token.clone().into_bytes();
            bytes[i] = c;
            let mutated = String::from_utf8(bytes).expect("ASCII in, ASCII out");
            if let Ok(value) = (tokens.loads)(SECRET_KEY, UNSUBSCRIBE, &mutated, None, now) {
                return Err(format!(
                    "{token:?} with byte {i} {:?} -> {:?} is {mutated:?}, accepted as {value}",
                    original as char, c as char
                ));
            }
        }
    }
    Ok(())
}

/// Subscriber `id`'s unsubscribe token does not validate as a confirmation, nor the
/// confirmation token as an unsubscribe; each validates for its own purpose.
pub fn purposes_never_cross(tokens: Tokens, id: i64, now: u64) -> Result<(), String> {
    for (minted_for, taken_to) in [(UNSUBSCRIBE, CONFIRM), (CONFIRM, UNSUBSCRIBE)] {
        let token = (tokens.dumps)(SECRET_KEY, minted_for, &payload(id), now);
        round_trips(tokens, minted_for, &token, now, id)?;
        if let Ok(value) = (tokens.loads)(SECRET_KEY, taken_to, &token, None, now) {
            return Err(format!(
                "{token:?}, minted for {minted_for}, validates for {taken_to} as {value}"
            ));
        }
    }
    Ok(())
}

/// A confirmation token minted at `minted` and read `age` seconds later is accepted up
/// to [`CONFIRM_MAX_AGE`] (inclusive, as in Django) and refused after.
pub fn refused_after_max_age(tokens: Tokens, id: i64, minted: u64, age: u64) -> Result<(), String> {
    let token = (tokens.dumps)(SECRET_KEY, CONFIRM, &payload(id), minted);
    let read = (tokens.loads)(
        SECRET_KEY,
        CONFIRM,
        &token,
        Some(CONFIRM_MAX_AGE),
        minted + age,
    );
    match read {
        Ok(value) if age > CONFIRM_MAX_AGE => Err(format!(
            "{token:?} read {age} s after it was minted (max age {CONFIRM_MAX_AGE} s) is \
             accepted as {value}"
        )),
        Err(e) if age <= CONFIRM_MAX_AGE => Err(format!(
            "{token:?} read {age} s after it was minted (max age {CONFIRM_MAX_AGE} s) is \
             refused: {e}"
        )),
        _ => Ok(()),
    }
}

fn round_trips(tokens: Tokens, salt: &str, token: &str, now: u64, id: i64) -> Result<(), String> {
    match (tokens.loads)(SECRET_KEY, salt, token, None, now) {
        Ok(value) if value == payload(id) => Ok(()),
        Ok(value) => Err(format!(
            "{token:?} reads back as {value}, not {}",
            payload(id)
        )),
        Err(e) => Err(format!(
            "{token:?}, just minted for {salt}, is refused: {e}"
        )),
    }
}

/// The subscriber ids the properties draw from.
pub const IDS: std::ops::Range<i64> = 1..100_000;
/// The minting times the properties draw from: ten years from [`crate::model::START`].
pub const TIMES: std::ops::Range<u64> =
    crate::model::START..crate::model::START + 3650 * crate::model::DAY;
/// The ages the expiry property draws from: up to ten days.
pub const AGES: std::ops::Range<u64> = 0..10 * crate::model::DAY;
