//! The data properties of a way of storing profiles, runnable against any [`Storage`]:
//! after any mix of sign-ups, every one is stored and both lists show exactly the users
//! without that field; and a writer that bypasses the save cannot bring a second empty
//! value back.

use crate::model::{self, Field, Signup, Storage};

/// The longest sign-up sequences the property tests draw: two sign-ups already meet both
/// empty values of a column.
pub const MAX_SIGNUPS: usize = 6;

/// A sign-up's field as a generated input picks it: 0 left out, 1 an empty string,
/// 2 a value.
pub const CHOICES: usize = 3;

/// Sign-ups of users `u0`, `u1`, ... from (nickname, email) choices (see [`CHOICES`]):
/// how a generated input becomes a list of [`Signup`]s. Given emails differ per user, as
/// real addresses would.
pub fn numbered(choices: &[(usize, usize)]) -> Vec<Signup> {
    choices
        .iter()
        .enumerate()
        .map(|(i, &(nickname, email))| {
            let address = format!("u{i}@example.com");
            Signup::new(
                &format!("u{i}"),
                pick(nickname, "Nick"),
                pick(email, &address),
            )
        })
        .collect()
}

fn pick(choice: usize, value: &str) -> Option<&str> {
    match choice {
        0 => None,
        1 => Some(""),
        _ => Some(value),
    }
}

/// The property: `storage` stores every sign-up of `signups`, and each of the page's
/// lists shows exactly the users whose sign-up gave no value for its field. The error
/// names the first refused sign-up or the first list that differs.
pub fn lists_match_truth(storage: Storage, signups: &[Signup]) -> Result<(), String> {
    let conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    let results = model::store(&conn, storage, signups).map_err(|e| e.to_string())?;
    for (signup, result) in signups.iter().zip(results) {
        if let Err(e) = result {
            return Err(format!("{}'s sign-up was refused: {e}", signup.username));
        }
    }
    for field in [Field::Nickname, Field::Email] {
        let listed = model::list(&conn, field).map_err(|e| e.to_string())?;
        let truth = model::truth(signups, field);
        if listed != truth {
            return Err(format!(
                "the list without {} shows {listed:?}, truth {truth:?}",
                field.with_article()
            ));
        }
    }
    Ok(())
}

/// The guard: in `storage`'s table, a writer that does not go through the save (an
/// import script, another service, a hand-written fix-up) cannot store the empty value
/// the lists do not look for. A row whose nickname is left out reads back as '', and a
/// NULL nickname or an '' email is refused.
pub fn one_empty_value_whoever_writes(storage: Storage) -> Result<(), String> {
    let conn = lab_kit::sqlite::memory().map_err(|e| e.to_string())?;
    conn.execute_batch(storage.schema)
        .map_err(|e| e.to_string())?;
    conn.execute("INSERT INTO app_profile (username) VALUES ('left_out')", [])
        .map_err(|e| format!("a row without a nickname was refused: {e}"))?;
    let nickname: Option<String> = conn
        .query_row(
            "SELECT nickname FROM app_profile WHERE username = 'left_out'",
            [],
            |r| r.get(0),
        )
        .map_err(|e| e.to_string())?;
    if nickname.as_deref() != Some("") {
        return Err(format!(
            "a row written without a nickname holds {nickname:?}, not ''"
        ));
    }
    for (user, nickname, email, what) in [
        ("null_nickname", None, None, "a NULL nickname"),
        ("empty_email", Some(""), Some(""), "an '' email"),
    ] {
        let stored = conn.execute(
            model::INSERT,
            (user, nickname as Option<&str>, email as Option<&str>),
        );
        if stored.is_ok() {
            return Err(format!("{what} was stored"));
        }
    }
    Ok(())
}
