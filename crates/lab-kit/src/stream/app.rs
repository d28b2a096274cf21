//! The app around a view: `GET <path>` answered by the view on a blocking thread, and the
//! instrument on the response's way out that records how many rows had been read when
//! the first body byte left - the same for every variant, outside the variant's code.

use std::sync::Arc;

use axum::Router;
use axum::body::{Body, HttpBody};
use axum::http::StatusCode;
use axum::http::header::CONTENT_LENGTH;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use futures_util::StreamExt;

use super::{Export, Progress, ViewFn};

/// The app: `GET path` answered by `view` on a blocking thread (a sync Django view on its
/// worker); every response goes through [`observe_first_byte`].
pub fn router(path: &str, view: ViewFn, context: Export) -> Router {
    Router::new().route(
        path,
        get(move || {
            let context = context.clone();
            async move {
                let progress = Arc::clone(&context.progress);
                match tokio::task::spawn_blocking(move || view(context)).await {
                    Ok(Ok(response)) => observe_first_byte(response, progress),
                    Ok(Err(error)) => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        crate::error_chain(&error),
                    )
                        .into_response(),
                    Err(panic) => (
                        StatusCode::INTERNAL_SERVER_ERROR,
                        format!("the view panicked: {panic}"),
                    )
                        .into_response(),
                }
            }
        }),
    )
}

/// Re-wraps the body so that its first non-empty data frame records the rows read at that
/// moment. A body of known size keeps its `Content-Length`.
pub fn observe_first_byte(response: Response, progress: Arc<Progress>) -> Response {
    let (mut parts, body) = response.into_parts();
    if let Some(length) = HttpBody::size_hint(&body).exact() {
        parts.headers.insert(CONTENT_LENGTH, length.into());
    }
    let mut seen = false;
    let stream = body.into_data_stream().inspect(move |frame| {
        if !seen && frame.as_ref().is_ok_and(|bytes| !bytes.is_empty()) {
            seen = true;
            progress.first_byte_left();
        }
    });
    Response::from_parts(parts, Body::from_stream(stream))
}
