//! The pitfall: both optional text columns allow NULL, and the save stores what came in,
//! so each column ends up with two ways of saying "none": NULL and ''.

use rusqlite::Connection;

use crate::model::{INSERT, Signup, Storage};

/// The table Django 5.2 creates for `nickname = CharField(max_length=50, null=True,
/// blank=True)` and `email = EmailField(null=True, blank=True, unique=True)`, word for
/// word but for its double quotes (the Django twin checks it).
pub const SCHEMA: &str = concat!(
    "CREATE TABLE app_profile (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n",
    "    username varchar(30) NOT NULL UNIQUE,\n",
    // PITFALL: `null=True` on a text column: NULL and '' are both accepted, and both mean
    // "no nickname". `nickname = ''` never matches NULL (NULL = '' is not true), and
    // `nickname IS NULL` never matches ''.
    "    nickname varchar(50) NULL,\n",
    // PITFALL: the same two empty values on a unique column: UNIQUE lets any number of
    // NULLs in (they are not equal to each other) but only one '' (it is a value).
    "    email varchar(254) NULL UNIQUE)",
);

/// Stores one sign-up: each field as it came in.
pub fn save_profile(conn: &Connection, signup: &Signup) -> rusqlite::Result<()> {
    // PITFALL: a field without a value becomes NULL (a nullable field's default is None
    // in Django, and its ModelForm turns a blank input into None), an empty string from
    // the API stays ''.
    let values = (
        &signup.username,
        signup.nickname.as_deref(),
        signup.email.as_deref(),
    );
    conn.execute(INSERT, values)?;
    Ok(())
}

/// This module's storage: its table and its save.
pub const STORAGE: Storage = Storage {
    schema: SCHEMA,
    save: save_profile,
};
