//! The web app: `GET /products/search?q=...`, the shop's search box, answering JSON
//! (`{"results": [{"id", "name", "price"}]}`) as a Django `JsonResponse` would.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use rusqlite::Connection;

use crate::model::{FormError, Product, SearchFn, clean_query};

/// The search's path.
pub const PATH: &str = "/products/search";

/// The app's connection and the search behind its view.
type AppState = Arc<(Mutex<Connection>, SearchFn)>;

/// `GET /products/search?q=...`, searching through `search` on `conn`.
pub fn router(conn: Connection, search: SearchFn) -> Router {
    Router::new()
        .route(PATH, get(search_view))
        .with_state(Arc::new((Mutex::new(conn), search)))
}

/// The search as the view runs it: the form's rule first, then the variant's query.
/// The HTTP view and the property both call this.
pub fn run_search(conn: &Connection, search: SearchFn, q: &str) -> Result<Vec<Product>, AppError> {
    let q = clean_query(q)?;
    Ok(search(conn, q)?)
}

/// Why a search did not answer with results.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// The form refused the query: 400, with the form's message.
    #[error("{0}")]
    Form(#[from] FormError),
    /// The query failed in the database: 500. The body does not say why, as Django's
    /// error page does not with `DEBUG = False`.
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let (status, message) = match &self {
            Self::Form(e) => (StatusCode::BAD_REQUEST, e.to_string()),
            Self::Database(_) => (StatusCode::INTERNAL_SERVER_ERROR, "server error".to_owned()),
        };
        json(status, &serde_json::json!({ "error": message }))
    }
}

/// The `q` parameter of the request's query string, decoded as a form field is (`+` is
/// a space, `%XX` a byte); empty when absent. reqwest's `Url` (the `url` crate, which
/// the client side already builds) does the decoding.
fn query_param(uri: &Uri) -> String {
    let url = reqwest::Url::parse(&format!("http://app{uri}")).expect("a request path parses");
    url.query_pairs()
        .find(|(key, _)| key == "q")
        .map(|(_, value)| value.into_owned())
        .unwrap_or_default()
}

/// The view: the results as JSON, or the error's status.
async fn search_view(State(app): State<AppState>, uri: Uri) -> Response {
    let (conn, search) = &*app;
    let q = query_param(&uri);
    let conn = conn.lock().unwrap_or_else(PoisonError::into_inner);
    match run_search(&conn, *search, &q) {
        Ok(results) => json(StatusCode::OK, &serde_json::json!({ "results": results })),
        Err(e) => e.into_response(),
    }
}

fn json(status: StatusCode, body: &serde_json::Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}
