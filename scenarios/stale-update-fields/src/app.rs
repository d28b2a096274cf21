//! The web app: an article page with validators and a page cache, and an edit endpoint.

pub mod validators;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{
    CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED,
};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rusqlite::{Connection, OptionalExtension};
use serde::Deserialize;

use crate::model::{Article, Clock, Field, PartialSave};
use validators::{etag, is_not_modified, last_modified};

/// The response header that says whether the page came from the server's page cache.
pub const PAGE_CACHE: &str = "x-page-cache";

/// The app's state: one SQLite connection, the clock, the partial save the edit endpoint
/// goes through, and the page cache.
#[derive(Debug)]
pub struct App {
    conn: Mutex<Connection>,
    clock: Arc<Clock>,
    save: PartialSave,
    /// Rendered pages keyed on `(id, updated_at)`, like `{% cache 600 article article.id
    /// article.updated_at %}`: a new `updated_at` is the only thing that retires a page.
    pages: Mutex<HashMap<(i64, i64), String>>,
}

impl App {
    /// An app over `conn` whose edits go through `save`.
    pub fn new(conn: Connection, clock: Arc<Clock>, save: PartialSave) -> Arc<Self> {
        Arc::new(Self {
            conn: Mutex::new(conn),
            clock,
            save,
            pages: Mutex::new(HashMap::new()),
        })
    }
}

/// `GET /articles/{id}` (the page) and `PATCH /articles/{id}` (the edit).
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/articles/{id}", get(show).patch(edit))
        .with_state(app)
}

/// What the edit endpoint accepts: the fields to change, and only those.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EditRequest {
    title: Option<String>,
    body: Option<String>,
}

/// The app's errors, each with its status.
#[derive(Debug)]
enum AppError {
    NotFound,
    BadRequest(String),
    Database(rusqlite::Error),
}

impl From<rusqlite::Error> for AppError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Database(error)
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        match self {
            Self::NotFound => (StatusCode::NOT_FOUND, "no such article").into_response(),
            Self::BadRequest(why) => (StatusCode::BAD_REQUEST, why).into_response(),
            Self::Database(e) => {
                (StatusCode::INTERNAL_SERVER_ERROR, format!("database: {e}")).into_response()
            }
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

async fn show(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let conn = lock(&app.conn);
    // Django's `condition(etag_func=..., last_modified_func=...)`: a cheap query for the
    // validators first, so a matching request never renders anything.
    let updated_at: i64 = conn
        .query_row(
            "SELECT updated_at FROM app_article WHERE id = ?1",
            [id],
            |row| row.get(0),
        )
        .optional()?
        .ok_or(AppError::NotFound)?;
    let tag = etag(id, updated_at);
    let modified = last_modified(updated_at);
    let header = |name| headers.get(name).and_then(|v| v.to_str().ok());
    let validators = [
        (ETAG, tag.clone()),
        (LAST_MODIFIED, modified),
        // Store, but ask before every use: the browser always revalidates.
        (CACHE_CONTROL, "no-cache".to_owned()),
    ];
    if is_not_modified(
        header(IF_NONE_MATCH),
        header(IF_MODIFIED_SINCE),
        &tag,
        updated_at,
    ) {
        return Ok((StatusCode::NOT_MODIFIED, validators).into_response());
    }
    let mut pages = lock(&app.pages);
    let (page, cache) = match pages.get(&(id, updated_at)) {
        Some(page) => (page.clone(), "hit"),
        None => {
            let article = Article::load(&conn, id)?.ok_or(AppError::NotFound)?;
            let page = article.render();
            pages.insert((id, updated_at), page.clone());
            (page, "miss")
        }
    };
    let content_type = (CONTENT_TYPE, "text/plain; charset=utf-8".to_owned());
    let cache = (
        PAGE_CACHE.try_into().expect("a valid header name"),
        cache.to_owned(),
    );
    Ok((validators, [content_type, cache], page).into_response())
}

async fn edit(
    State(app): State<Arc<App>>,
    Path(id): Path<i64>,
    body: String,
) -> Result<Response, AppError> {
    let request: EditRequest =
        serde_json::from_str(&body).map_err(|e| AppError::BadRequest(e.to_string()))?;
    let conn = lock(&app.conn);
    let mut article = Article::load(&conn, id)?.ok_or(AppError::NotFound)?;
    // Only what the request changed is listed: the "write only the changed columns"
    // change that the story starts from.
    let mut fields = Vec::new();
    if let Some(title) = request.title {
        article.title = title;
        fields.push(Field::Title);
    }
    if let Some(body) = request.body {
        article.body = body;
        fields.push(Field::Body);
    }
    (app.save)(&conn, &app.clock, &mut article, &fields)?;
    // The instance after the save, as a serializer would return it.
    let json = serde_json::to_string(&article).expect("an article serializes");
    Ok(([(CONTENT_TYPE, "application/json")], json).into_response())
}
