//! The web app: `POST /comments` stores a visitor's comment (a JSON body) in SQLite, and
//! `GET /comments` reads every stored comment and writes the page with the variant's
//! [`PageFn`].

use std::sync::{Arc, Mutex, MutexGuard};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use rusqlite::Connection;

use crate::model::{self, NewComment, PageError, PageFn};

/// The app's state: the database and the page function behind the view.
#[derive(Debug)]
struct App {
    db: Mutex<Connection>,
    page: PageFn,
}

/// The two routes over `conn` (which already has the table), with `page` writing the page.
pub fn router(conn: Connection, page: PageFn) -> Router {
    Router::new()
        .route("/comments", get(list).post(create))
        .with_state(Arc::new(App {
            db: Mutex::new(conn),
            page,
        }))
}

/// The app's errors, each with its status.
#[derive(Debug, thiserror::Error)]
enum AppError {
    #[error("bad comment: {0}")]
    BadRequest(#[from] serde_json::Error),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("page: {0}")]
    Page(#[from] PageError),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Database(_) | Self::Page(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}

impl App {
    fn db(&self) -> MutexGuard<'_, Connection> {
        // A panic while the lock was held leaves nothing half-written worth refusing.
        self.db
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// `POST /comments`: the comment stored exactly as posted (a comment may well contain
/// `<` or a quote); the answer is `201 Created` with the new id.
async fn create(
    State(app): State<Arc<App>>,
    body: String,
) -> Result<(StatusCode, String), AppError> {
    let comment: NewComment = serde_json::from_str(&body)?;
    let id = model::insert(&app.db(), &comment)?;
    Ok((StatusCode::CREATED, id.to_string()))
}

/// `GET /comments`: every stored comment, oldest first, on the page.
async fn list(State(app): State<Arc<App>>) -> Result<Html<String>, AppError> {
    let comments = model::comments(&app.db())?;
    Ok(Html((app.page)(&comments)?))
}
