//! The web app: `GET /articles?size=N`, the list view that hands the first N articles to
//! the page template (`app/articles.html`, auto-escaped like Django's templates).

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::syntax::SyntaxConfig;
use minijinja::value::Value;
use minijinja::{Environment, context};

use crate::model::ArticleList;
use crate::orm::Db;

/// The page template, the same file the Django twin renders.
pub const TEMPLATE: &str = include_str!("app/articles.html");
/// The page size when the request names none.
pub const DEFAULT_SIZE: usize = 50;

/// The template environment, built once: `.html` templates are HTML-escaped, and the
/// file's last newline is kept, as Django keeps it.
fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        let mut syntax = SyntaxConfig::builder();
        syntax.keep_trailing_newline(true);
        env.set_syntax(syntax.build().expect("the default delimiters are valid"));
        env.add_template("articles.html", TEMPLATE)
            .expect("the page template parses");
        env
    })
}

/// Renders the page for `articles`: model instances (whose relations load as the
/// template reads them) or plain values (the truth).
pub fn render(articles: Vec<Value>) -> Result<String, minijinja::Error> {
    environment()
        .get_template("articles.html")?
        .render(context! { articles => articles })
}

/// `GET /articles?size=N`, listing through `list`.
pub fn router(db: Db, list: ArticleList) -> Router {
    Router::new()
        .route("/articles", get(articles))
        .with_state(Arc::new((db, list)))
}

/// The app's errors, each with its status.
#[derive(Debug, thiserror::Error)]
enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("template: {0}")]
    Template(#[from] minijinja::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Database(_) | Self::Template(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        (status, self.to_string()).into_response()
    }
}

/// The `size` query parameter: a whole number of articles.
fn page_size(uri: &Uri) -> Result<usize, AppError> {
    let value = uri
        .query()
        .unwrap_or("")
        .split('&')
        .find_map(|pair| pair.strip_prefix("size="));
    match value {
        None => Ok(DEFAULT_SIZE),
        Some(v) => v
            .parse()
            .map_err(|_| AppError::BadRequest(format!("size must be a whole number, not {v:?}"))),
    }
}

/// The list view: the list runs its queries, then the template reads every article's
/// title, author and tags, and each relation an instance does not hold is a query.
async fn articles(
    State(app): State<Arc<(Db, ArticleList)>>,
    uri: Uri,
) -> Result<Html<String>, AppError> {
    let (db, list) = &*app;
    let size = page_size(&uri)?;
    let instances = list(db, size)?;
    let values = instances.into_iter().map(Value::from_object).collect();
    Ok(Html(render(values)?))
}
