//! What every variant shares: the sign-ups and their seed, the statements the app sends
//! whatever the table looks like (the INSERT and the page's two lists), the truth computed
//! from the sign-ups alone, and the one variant type.

use rusqlite::Connection;
use serde::Serialize;

/// How a variant stores profiles: its table and its save. `broken.rs` and the fix each
/// expose one, `STORAGE`.
#[derive(Debug, Clone, Copy)]
pub struct Storage {
    /// The `CREATE TABLE app_profile` statement, as Django's schema editor writes it.
    pub schema: &'static str,
    /// Stores one sign-up as a row of `app_profile`.
    pub save: SaveFn,
}

/// Stores one sign-up.
pub type SaveFn = fn(&Connection, &Signup) -> rusqlite::Result<()>;

/// The INSERT every variant sends, with the values its save chose (Django's is the same
/// but for its double quotes and a `RETURNING` clause).
pub const INSERT: &str = "INSERT INTO app_profile (username, nickname, email) VALUES (?1, ?2, ?3)";

/// The page's list of profiles without a nickname, as Django 5.2 sends
/// `Profile.objects.filter(nickname="").values_list("username", flat=True).order_by("pk")`
/// (double quotes dropped; the Django twin checks it): the lookup that reads naturally for
/// a text field.
pub const NO_NICKNAME: &str = "SELECT app_profile.username AS username FROM app_profile WHERE app_profile.nickname = '' ORDER BY app_profile.id ASC";

/// The support team's list of profiles without an email address:
/// `Profile.objects.filter(email__isnull=True)...`, the lookup that reads naturally for a
/// column where "no address" was meant to be NULL.
pub const NO_EMAIL: &str = "SELECT app_profile.username AS username FROM app_profile WHERE app_profile.email IS NULL ORDER BY app_profile.id ASC";

/// One sign-up as the app received it. For each optional field, `None` means it came
/// without a value: a blank field of the sign-up form, or a client that leaves the field
/// out. `Some("")` means a client sent an empty string: a JSON API, an import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Signup {
    pub username: String,
    pub nickname: Option<String>,
    pub email: Option<String>,
}

impl Signup {
    /// A sign-up; `None` for a field that came without a value.
    pub fn new(username: &str, nickname: Option<&str>, email: Option<&str>) -> Self {
        Self {
            username: username.to_owned(),
            nickname: nickname.map(str::to_owned),
            email: email.map(str::to_owned),
        }
    }

    /// What the user gave for `field`: `None` and `Some("")` both mean nothing.
    pub fn field(&self, field: Field) -> Option<&str> {
        match field {
            Field::Nickname => self.nickname.as_deref(),
            Field::Email => self.email.as_deref(),
        }
    }

    /// One line for reports: `bob: nickname not given, email ''`.
    pub fn describe(&self) -> String {
        let show = |v: Option<&str>| v.map_or_else(|| "not given".to_owned(), |v| format!("'{v}'"));
        format!(
            "{}: nickname {}, email {}",
            self.username,
            show(self.field(Field::Nickname)),
            show(self.field(Field::Email))
        )
    }
}

/// The two optional text fields of a profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Free text shown on the profile; many users share a nickname.
    Nickname,
    /// Unique among the users who gave one.
    Email,
}

impl Field {
    /// The column's name.
    pub fn column(self) -> &'static str {
        match self {
            Self::Nickname => "nickname",
            Self::Email => "email",
        }
    }

    /// "a nickname", "an email": for sentences.
    pub fn with_article(self) -> &'static str {
        match self {
            Self::Nickname => "a nickname",
            Self::Email => "an email",
        }
    }

    /// The page's list of users without this field.
    pub fn list_sql(self) -> &'static str {
        match self {
            Self::Nickname => NO_NICKNAME,
            Self::Email => NO_EMAIL,
        }
    }
}

/// The seed of the report: five sign-ups through the form and through the API, so each
/// column meets both ways of saying "none".
pub fn seed() -> Vec<Signup> {
    vec![
        Signup::new("ann", Some("Annie"), Some("ann@example.com")),
        // The sign-up form, both fields left blank.
        Signup::new("bob", None, None),
        // The API, both fields sent as empty strings.
        Signup::new("cy", Some(""), Some("")),
        // The API again: a nickname, and an empty email like cy's.
        Signup::new("dee", Some("Dee"), Some("")),
        // A client that sends an empty nickname and leaves the email out.
        Signup::new("eve", Some(""), None),
    ]
}

/// The users whose sign-up gave no value for `field` (left out, blank, or empty), in
/// sign-up order: computed from the sign-ups alone, the truth the lists are judged by.
pub fn truth(signups: &[Signup], field: Field) -> Vec<String> {
    signups
        .iter()
        .filter(|s| s.field(field).is_none_or(str::is_empty))
        .map(|s| s.username.clone())
        .collect()
}

/// Creates the variant's table and saves every sign-up through its save, in order. Each
/// result is kept: a refused sign-up is part of what the variant did.
pub fn store(
    conn: &Connection,
    storage: Storage,
    signups: &[Signup],
) -> rusqlite::Result<Vec<rusqlite::Result<()>>> {
    conn.execute_batch(storage.schema)?;
    Ok(signups.iter().map(|s| (storage.save)(conn, s)).collect())
}

/// Runs one of the page's lists and returns the usernames it shows.
pub fn list(conn: &Connection, field: Field) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare(field.list_sql())?;
    let rows = stmt.query_map([], |row| row.get(0))?;
    rows.collect()
}
