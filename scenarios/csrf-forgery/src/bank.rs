//! The bank: a cookie-session app on loopback with a login, a transfer form and the
//! `POST /transfer` that moves money in SQLite, behind the variant's [`Defence`].

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::header::{COOKIE, HOST, ORIGIN, REFERER, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::{get, post};
use rand::rngs::StdRng;
use rusqlite::{Connection, OptionalExtension};

use crate::form;
use crate::model::{Defence, Post, SECRET_LENGTH, SESSION_COOKIE, TOKEN_FIELD, random_string};

/// The app's state: its SQLite connection, its seeded random generator, its defence.
#[derive(Debug)]
pub struct Bank {
    conn: Mutex<Connection>,
    rng: Mutex<StdRng>,
    defence: Defence,
}

impl Bank {
    /// A bank over `conn` (tables already created) defended by `defence`.
    pub fn new(conn: Connection, rng: StdRng, defence: Defence) -> Arc<Self> {
        Arc::new(Self {
            conn: Mutex::new(conn),
            rng: Mutex::new(rng),
            defence,
        })
    }
}

/// `POST /login`, `GET /transfer` (the form) and `POST /transfer` (the money).
pub fn router(bank: Arc<Bank>) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/transfer", get(transfer_form).post(transfer))
        .with_state(bank)
}

/// The bank's error answers, each with its status.
#[derive(Debug)]
enum BankError {
    NotLoggedIn,
    Forbidden(String),
    BadRequest(String),
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for BankError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error)
    }
}

impl IntoResponse for BankError {
    fn into_response(self) -> Response {
        match self {
            Self::NotLoggedIn => (StatusCode::UNAUTHORIZED, "log in first".to_owned()),
            Self::Forbidden(why) => (
                StatusCode::FORBIDDEN,
                format!("CSRF verification failed: {why}"),
            ),
            Self::BadRequest(why) => (StatusCode::BAD_REQUEST, why),
            Self::Database(e) => (StatusCode::INTERNAL_SERVER_ERROR, e.to_string()),
        }
        .into_response()
    }
}

/// Logs `username` in: a new session with its own CSRF secret. The login form is not what
/// this lab attacks, so it goes through no defence (Django protects it too).
async fn login(State(bank): State<Arc<Bank>>, body: String) -> Result<Response, BankError> {
    let fields = form::decode(&body);
    let user = field(&fields, "username").ok_or(BankError::BadRequest("no username".into()))?;
    let (key, secret) = {
        let mut rng = bank.rng.lock().unwrap_or_else(PoisonError::into_inner);
        (
            random_string(&mut rng, 32),
            random_string(&mut rng, SECRET_LENGTH),
        )
    };
    let conn = bank.conn.lock().unwrap_or_else(PoisonError::into_inner);
    // Only account holders log in (the lab checks no password: the login is not the point).
    let known: i64 = conn.query_row(
        "SELECT count(*) FROM bank_account WHERE owner = ?1",
        [user],
        |r| r.get(0),
    )?;
    if known == 0 {
        return Err(BankError::BadRequest(format!("no account {user:?}")));
    }
    conn.execute(
        "INSERT INTO bank_session (session_key, owner, csrf_secret) VALUES (?1, ?2, ?3)",
        (&key, user, &secret),
    )?;
    drop(conn);
    let cookie = (bank.defence.session_cookie)(&key);
    Ok(([(SET_COOKIE, cookie)], format!("logged in as {user}")).into_response())
}

/// The transfer form, with the defence's hidden token if it renders one.
async fn transfer_form(
    State(bank): State<Arc<Bank>>,
    headers: HeaderMap,
) -> Result<Html<String>, BankError> {
    let (owner, secret) = session(&bank, &headers)?.ok_or(BankError::NotLoggedIn)?;
    let token = {
        let mut rng = bank.rng.lock().unwrap_or_else(PoisonError::into_inner);
        (bank.defence.form_token)(&secret, &mut rng)
    };
    let hidden = token
        .map(|t| format!(r#"<input type="hidden" name="{TOKEN_FIELD}" value="{t}">"#))
        .unwrap_or_default();
    Ok(Html(format!(
        r#"<!doctype html>
<html><body><h1>Send money from {owner}'s account</h1>
<form action="/transfer" method="post">{hidden}
  <input name="to"> <input name="amount"> <button>Send</button>
</form></body></html>
"#
    )))
}

/// Moves `amount` from the session's account to `to`, if the defence lets the POST in.
async fn transfer(
    State(bank): State<Arc<Bank>>,
    headers: HeaderMap,
    body: String,
) -> Result<String, BankError> {
    let (owner, secret) = session(&bank, &headers)?.ok_or(BankError::NotLoggedIn)?;
    let fields = form::decode(&body);
    let post = Post {
        host: header(&headers, HOST.as_str()).unwrap_or_default(),
        origin: header(&headers, ORIGIN.as_str()),
        referer: header(&headers, REFERER.as_str()),
        session_secret: &secret,
        form_token: field(&fields, TOKEN_FIELD),
    };
    (bank.defence.check)(&post).map_err(|r| BankError::Forbidden(r.0))?;
    let to = field(&fields, "to").ok_or(BankError::BadRequest("no recipient".into()))?;
    let amount: i64 = field(&fields, "amount")
        .and_then(|a| a.parse().ok())
        .filter(|a| *a > 0)
        .ok_or(BankError::BadRequest("no positive amount".into()))?;
    let mut conn = bank.conn.lock().unwrap_or_else(PoisonError::into_inner);
    let tx = conn.transaction()?;
    let debit = "UPDATE bank_account SET balance = balance - ?1 WHERE owner = ?2";
    let credit = "UPDATE bank_account SET balance = balance + ?1 WHERE owner = ?2";
    tx.execute(debit, (amount, &owner))?;
    if tx.execute(credit, (amount, to))? != 1 {
        return Err(BankError::BadRequest(format!("no account {to:?}")));
    }
    tx.commit()?;
    Ok(format!("sent {amount} from {owner} to {to}"))
}

/// The session named by the request's `sessionid` cookie: its owner and CSRF secret.
fn session(bank: &Bank, headers: &HeaderMap) -> Result<Option<(String, String)>, BankError> {
    let Some(key) = headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
    else {
        return Ok(None);
    };
    let conn = bank.conn.lock().unwrap_or_else(PoisonError::into_inner);
    Ok(conn
        .query_row(
            "SELECT owner, csrf_secret FROM bank_session WHERE session_key = ?1",
            [key],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

fn header<'h>(headers: &'h HeaderMap, name: &str) -> Option<&'h str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn field<'f>(fields: &'f [(String, String)], name: &str) -> Option<&'f str> {
    fields
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}
