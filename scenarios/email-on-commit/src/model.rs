//! What every variant shares: the accounts tables and their seed, the people of the
//! story, the ONE variant type (`Welcome`, the `post_save` receiver that welcomes a new
//! user), the sign-up view that saves a user inside its transaction, and what a request
//! answers.

use rusqlite::ErrorCode;
use serde::Serialize;

use crate::mail::{MailError, Mailer, Message};
use crate::transaction::Db;

/// The tables Django creates for `User(email unique, name)` and `Profile(user one-to-one,
/// handle unique)`, and carol, who has been a member for a while.
pub const SCHEMA: &str = "
CREATE TABLE accounts_user (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    email varchar(254) NOT NULL UNIQUE,
    name varchar(100) NOT NULL
);
CREATE TABLE accounts_profile (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    user_id bigint NOT NULL UNIQUE REFERENCES accounts_user (id) DEFERRABLE INITIALLY DEFERRED,
    handle varchar(30) NOT NULL UNIQUE
);
INSERT INTO accounts_user (id, email, name) VALUES (1, 'carol@example.com', 'Carol');
INSERT INTO accounts_profile (id, user_id, handle) VALUES (1, 1, 'carol');
";

/// What a new user asks for: an account and a profile with a handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct SignUp {
    pub email: &'static str,
    pub name: &'static str,
    pub handle: &'static str,
}

/// ann signs up with a handle nobody has.
pub const ANN: SignUp = SignUp {
    email: "ann@example.com",
    name: "Ann",
    handle: "ann",
};

/// bob asks for carol's handle: his account row goes in, then the profile's UNIQUE
/// constraint refuses the handle and the sign-up's transaction rolls back.
pub const BOB: SignUp = SignUp {
    email: "bob@example.com",
    name: "Bob",
    handle: "carol",
};

/// dan is created from a shell (a data import, an admin command): no transaction around
/// it, Django's autocommit.
pub const DAN: SignUp = SignUp {
    email: "dan@example.com",
    name: "Dan",
    handle: "dan",
};

/// One saved user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
}

/// The `post_save` receiver for `User` that welcomes a new account: `broken.rs` and the
/// fix export one, `welcome`. It gets the connection the user was saved on.
pub type Welcome = fn(&mut Db, &Mailer, &User) -> Result<(), MailError>;

/// The welcome mail: a link to confirm the address, and the account it is about.
pub fn welcome_message(user: &User) -> Message {
    Message {
        to: user.email.clone(),
        subject: format!("Welcome, {}", user.name),
        body: format!("Confirm your address: /confirm/{}", user.id),
        user: user.id,
    }
}

/// Why a sign-up failed.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("mail: {0}")]
    Mail(#[from] MailError),
}

impl User {
    /// `User.objects.create(email=..., name=...)`: the INSERT, then `post_save` with
    /// `created=True`, which calls `welcome`.
    pub fn create(
        db: &mut Db,
        mailer: &Mailer,
        welcome: Welcome,
        form: &SignUp,
    ) -> Result<Self, ViewError> {
        db.conn().execute(
            "INSERT INTO accounts_user (email, name) VALUES (?1, ?2)",
            (form.email, form.name),
        )?;
        let user = Self {
            id: db.conn().last_insert_rowid(),
            email: form.email.to_owned(),
            name: form.name.to_owned(),
        };
        welcome(db, mailer, &user)?;
        Ok(user)
    }
}

/// The sign-up view: the account and its profile in one transaction (`atomic()`), so a
/// refused handle leaves no account behind.
pub fn sign_up(
    db: &mut Db,
    mailer: &Mailer,
    welcome: Welcome,
    form: &SignUp,
) -> Result<User, ViewError> {
    db.atomic(|db| {
        let user = User::create(db, mailer, welcome, form)?;
        db.conn().execute(
            "INSERT INTO accounts_profile (user_id, handle) VALUES (?1, ?2)",
            (user.id, form.handle),
        )?;
        Ok(user)
    })
}

/// A user created outside any transaction, as a shell or an import script does.
pub fn create_in_autocommit(
    db: &mut Db,
    mailer: &Mailer,
    welcome: Welcome,
    form: &SignUp,
) -> Result<User, ViewError> {
    User::create(db, mailer, welcome, form)
}

/// What the request answers: its status and a line for the transcript. A constraint the
/// database enforced is the client's conflict (409); anything else is the server's (500).
pub fn respond(result: &Result<User, ViewError>) -> (u16, String) {
    match result {
        Ok(user) => (201, format!("201 Created: user {}", user.id)),
        Err(ViewError::Database(e))
            if e.sqlite_error_code() == Some(ErrorCode::ConstraintViolation) =>
        {
            (409, format!("409 Conflict: {e}"))
        }
        Err(e) => (500, format!("500 Internal Server Error: {e}")),
    }
}
