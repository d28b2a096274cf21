//! The loopback HTTP helpers: a real server on 127.0.0.1, a real client.

use axum::Router;
use axum::routing::get;

#[tokio::test]
async fn serves_on_loopback_and_stops() {
    let router = Router::new().route("/hello", get(|| async { "hi" }));
    let server = lab_kit::http::serve(router).await.unwrap();
    assert!(server.addr().ip().is_loopback());
    assert_ne!(server.addr().port(), 0);

    let client = lab_kit::http::client();
    let response = client.get(server.url("/hello")).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.text().await.unwrap(), "hi");

    let url = server.url("/hello");
    server.shutdown().await.unwrap();
    assert!(client.get(url).send().await.is_err(), "the port is closed");
}
