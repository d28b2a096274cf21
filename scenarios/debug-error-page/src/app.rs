//! The web app: `GET /reports/monthly`, a view that divides by the number of orders of a
//! month that has none, and the server-error handler every failing view goes through
//! (Django's `convert_exception_to_response`).

use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::model::{
    ErrorLog, ErrorResponse, FAILING_PATH, Failure, RequestInfo, ServerErrorFn, Settings,
};

/// What the app runs with: its settings, the handler for failed views, and its log.
#[derive(Debug, Clone)]
pub struct AppState {
    pub settings: Settings,
    pub server_error: ServerErrorFn,
    pub log: ErrorLog,
}

/// The app's routes over `state`.
pub fn router(state: AppState) -> Router {
    Router::new()
        .route(FAILING_PATH, get(monthly_report))
        .with_state(Arc::new(state))
}

/// A view's exception: its Python type and message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ViewError {
    pub exception: &'static str,
    pub message: String,
}

/// The average order of the month: this month has no orders yet, so it divides by zero.
fn average_order(orders: &[u64]) -> Result<u64, ViewError> {
    let total: u64 = orders.iter().sum();
    let count = u64::try_from(orders.len()).expect("a small count");
    total.checked_div(count).ok_or_else(|| ViewError {
        exception: "ZeroDivisionError",
        message: "division by zero".into(),
    })
}

/// `GET /reports/monthly`: the report of a month without orders. Its error goes to the
/// app's server-error handler with everything Django hands to it.
async fn monthly_report(
    State(app): State<Arc<AppState>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
) -> Response {
    match average_order(&[]) {
        Ok(average) => format!("average order: {average}").into_response(),
        Err(error) => {
            let request = request_info(&method, &uri, &headers);
            let failure = Failure {
                settings: &app.settings,
                request: &request,
                exception: error.exception,
                message: &error.message,
            };
            respond((app.server_error)(&failure, &app.log))
        }
    }
}

/// The request as Django's `request.META` and `request.COOKIES` show it.
pub fn request_info(method: &Method, uri: &Uri, headers: &HeaderMap) -> RequestInfo {
    let mut meta = vec![
        ("REQUEST_METHOD".to_owned(), method.to_string()),
        ("PATH_INFO".to_owned(), uri.path().to_owned()),
        (
            "QUERY_STRING".to_owned(),
            uri.query().unwrap_or("").to_owned(),
        ),
    ];
    for (name, value) in headers {
        let name = format!("HTTP_{}", name.as_str().to_uppercase().replace('-', "_"));
        meta.push((name, String::from_utf8_lossy(value.as_bytes()).into_owned()));
    }
    let cookies = headers
        .get_all(header::COOKIE)
        .iter()
        .flat_map(|v| {
            String::from_utf8_lossy(v.as_bytes())
                .split(';')
                .map(str::to_owned)
                .collect::<Vec<_>>()
        })
        .filter_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect();
    RequestInfo {
        method: method.to_string(),
        path: uri.path().to_owned(),
        meta,
        cookies,
    }
}

/// The handler's answer as an HTTP response.
fn respond(page: ErrorResponse) -> Response {
    let status = StatusCode::from_u16(page.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        [(header::CONTENT_TYPE, page.content_type)],
        page.body,
    )
        .into_response()
}
