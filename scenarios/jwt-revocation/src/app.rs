//! The API on loopback: login, who-am-I, logout, password change and refresh, each a view
//! that calls the variant's `Auth` functions on the shared SQLite connection.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::routing::{get, post};
use rusqlite::Connection;

use crate::model::{Auth, Issued, Principal, Reject};

/// What the views share: the database, the variant's auth code and the clock.
#[derive(Debug, Clone)]
pub struct App {
    pub db: Arc<Mutex<Connection>>,
    pub auth: Auth,
    /// The injected clock, in Unix seconds: the story moves it, nothing reads wall time.
    pub clock: Arc<AtomicU64>,
}

/// A view's answer: a status and a one-line body.
type Answer = (StatusCode, String);

impl App {
    fn now(&self) -> u64 {
        self.clock.load(Ordering::SeqCst)
    }

    /// Runs `body` for the user the bearer token names, or answers 401.
    fn as_user(
        &self,
        headers: &HeaderMap,
        body: impl FnOnce(&Connection, &Principal) -> Result<String, Reject>,
    ) -> Answer {
        let token = headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "));
        let Some(token) = token else {
            return (StatusCode::UNAUTHORIZED, "no bearer token".to_owned());
        };
        let db = self.db.lock().expect("db");
        let answer = (self.auth.authenticate)(&db, token, self.now())
            .and_then(|principal| body(&db, &principal));
        reply(answer)
    }
}

/// 200 with the text, or 401 with the refusal.
fn reply(answer: Result<String, Reject>) -> Answer {
    match answer {
        Ok(text) => (StatusCode::OK, text),
        Err(Reject::Db(e)) => (StatusCode::INTERNAL_SERVER_ERROR, e),
        Err(refused) => (StatusCode::UNAUTHORIZED, refused.to_string()),
    }
}

/// The tokens as the client receives them.
fn issued(tokens: &Issued) -> String {
    serde_json::to_string(tokens).expect("plain strings")
}

/// The API's routes.
pub fn router(app: App) -> Router {
    Router::new()
        .route("/login", post(login))
        .route("/me", get(me))
        .route("/logout", post(logout))
        .route("/password", post(password))
        .route("/refresh", post(refresh))
        .with_state(app)
}

/// `POST /login` with `username:password` as the body.
async fn login(State(app): State<App>, body: String) -> Answer {
    let (username, password) = body.split_once(':').unwrap_or((&body, ""));
    let db = app.db.lock().expect("db");
    reply((app.auth.login)(&db, username, password, app.now()).map(|t| issued(&t)))
}

/// `GET /me`: who the token says is asking.
async fn me(State(app): State<App>, headers: HeaderMap) -> Answer {
    app.as_user(&headers, |_, principal| Ok(principal.username.clone()))
}

/// `POST /logout`.
async fn logout(State(app): State<App>, headers: HeaderMap) -> Answer {
    let now = app.now();
    app.as_user(&headers, |db, principal| {
        (app.auth.logout)(db, principal, now).map(|()| "logged out".to_owned())
    })
}

/// `POST /password` with the new password as the body.
async fn password(State(app): State<App>, headers: HeaderMap, body: String) -> Answer {
    let now = app.now();
    app.as_user(&headers, |db, principal| {
        (app.auth.change_password)(db, principal, &body, now)
            .map(|()| "password changed".to_owned())
    })
}

/// `POST /refresh` with the refresh token as the body.
async fn refresh(State(app): State<App>, body: String) -> Answer {
    let db = app.db.lock().expect("db");
    reply((app.auth.refresh)(&db, &body, app.now()).map(|t| issued(&t)))
}
