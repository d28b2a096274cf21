//! The admin over HTTP: `GET /admin/app/order/` runs the variant's change list and
//! renders it as HTML, a small template in the spirit of Django's `change_list.html`.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use minijinja::value::Serde;
use minijinja::{Environment, context};
use rusqlite::Connection;

use crate::model::{Page, PageRequest};

/// Where the change list lives.
pub const PATH: &str = "/admin/app/order/";

const TEMPLATE: &str = r#"<!doctype html>
<title>Select order to change | Django site admin</title>
<form id="changelist-search"><input name="q" value="{{ search }}"></form>
<p class="paginator"><span class="count">{{ count }}</span>{% if total %} <span class="total">({{ total }} total)</span>{% endif %}</p>
<table id="result_list">
<thead><tr><th>Reference</th><th>Customer</th><th>Total</th><th>Created at</th></tr></thead>
<tbody>
{% for o in orders %}<tr data-id="{{ o.id }}"><td>{{ o.reference }}</td><td>{{ o.customer }}</td><td>{{ o.total_cents }}</td><td>{{ o.created_at }}</td></tr>
{% endfor %}</tbody>
</table>
{% if next %}<a class="next" href="{{ next }}">next</a>{% endif %}
"#;

/// The app's state: one SQLite connection and the variant's change list.
#[derive(Debug)]
pub struct App {
    conn: Mutex<Connection>,
    change_list: fn(&Connection, &PageRequest) -> rusqlite::Result<Page>,
    templates: Environment<'static>,
}

impl App {
    /// An app that serves `change_list` over `conn`.
    ///
    /// # Panics
    /// If the template does not parse: a bug in this file.
    pub fn new(
        conn: Connection,
        change_list: fn(&Connection, &PageRequest) -> rusqlite::Result<Page>,
    ) -> Arc<Self> {
        let mut templates = Environment::new();
        templates
            .add_template("change_list.html", TEMPLATE)
            .expect("the change list template parses");
        Arc::new(Self {
            conn: Mutex::new(conn),
            change_list,
            templates,
        })
    }
}

impl App {
    /// Runs `f` on the app's connection, between requests (the probe explains the
    /// statements a page ran on the connection that ran them).
    pub fn with_conn<R>(&self, f: impl FnOnce(&Connection) -> R) -> R {
        f(&self.conn.lock().unwrap_or_else(PoisonError::into_inner))
    }
}

/// `GET /admin/app/order/`.
pub fn router(app: Arc<App>) -> Router {
    Router::new().route(PATH, get(show)).with_state(app)
}

/// A failure of the page: the database's or the template's, as a 500 naming it.
#[derive(Debug)]
enum AppError {
    Database(rusqlite::Error),
    Template(minijinja::Error),
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let why = match self {
            Self::Database(e) => format!("database: {e}"),
            Self::Template(e) => format!("template: {e}"),
        };
        (StatusCode::INTERNAL_SERVER_ERROR, why).into_response()
    }
}

async fn show(
    State(app): State<Arc<App>>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, AppError> {
    let request = PageRequest::parse(query.as_deref().unwrap_or(""));
    let page = {
        let conn = app.conn.lock().unwrap_or_else(PoisonError::into_inner);
        (app.change_list)(&conn, &request).map_err(AppError::Database)?
    };
    let search = request.get("q").unwrap_or_default();
    // Django shows the table's total only beside a search's count.
    let total = page.total.filter(|_| !search.is_empty());
    let html = app
        .templates
        .get_template("change_list.html")
        .and_then(|t| {
            t.render(context! {
                search,
                count => page.count.to_string(),
                total => total.map(|t| t.to_string()),
                orders => Serde(&page.orders),
                next => page.next.map(|n| format!("{PATH}{}", n.query_string())),
            })
        })
        .map_err(AppError::Template)?;
    Ok(Html(html))
}
