//! The fix: one empty value per column, chosen by what the column is for and kept by the
//! database - '' for the nickname (NOT NULL DEFAULT ''), NULL for the unique email (the
//! documented exception), with '' refused there.

use rusqlite::Connection;

use crate::model::{INSERT, Signup, Storage};

/// The table Django 5.2 creates for `nickname = CharField(max_length=50, blank=True,
/// default="", db_default="")` and `email = EmailField(null=True, blank=True,
/// unique=True)` with `CheckConstraint(condition=~Q(email=""),
/// name="profile_email_not_blank")`, word for word but for its double quotes.
pub const SCHEMA: &str = concat!(
    "CREATE TABLE app_profile (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n",
    "    username varchar(30) NOT NULL UNIQUE,\n",
    // FIX: '' is the nickname's one empty value. NOT NULL refuses a NULL from any writer;
    // DEFAULT '' (`db_default`) fills the column for a writer that leaves it out.
    "    nickname varchar(50) DEFAULT '' NOT NULL,\n",
    // The exception: an optional value that must be unique keeps NULL as its empty value,
    // because UNIQUE lets many NULLs in and only one ''.
    "    email varchar(254) NULL UNIQUE,\n",
    // FIX: and '' is refused there, so the email has one empty value too; Django writes
    // `~Q(email="")` as this NOT (... AND ... IS NOT NULL).
    "    CONSTRAINT profile_email_not_blank CHECK (NOT (email = '' AND email IS NOT NULL)))",
);

/// Stores one sign-up: each field as its column's one empty value when none was given.
pub fn save_profile(conn: &Connection, signup: &Signup) -> rusqlite::Result<()> {
    let values = (
        &signup.username,
        // FIX: no nickname is '' (Django: `default=""`, and the ModelForm's empty value
        // once the field is not nullable).
        signup.nickname.as_deref().unwrap_or_default(),
        // FIX: no email is NULL, an empty string included (Django: `save()` sets
        // `self.email = self.email or None`), so the second blank email meets no UNIQUE.
        signup.email.as_deref().filter(|e| !e.is_empty()),
    );
    conn.execute(INSERT, values)?;
    Ok(())
}

/// This module's storage: its table and its save.
pub const STORAGE: Storage = Storage {
    schema: SCHEMA,
    save: save_profile,
};
