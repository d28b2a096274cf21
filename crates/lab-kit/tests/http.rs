//! The loopback HTTP helpers: a real server on 127.0.0.1, a real client, and services
//! whose calls the interleaving harness answers.

use axum::Router;
use axum::http::StatusCode;
use axum::routing::{get, post};
use lab_kit::http::{post_json_blocking, serve_on_thread};
use lab_kit::interleave::{self, Gates, ServiceSession, WorkerSession};

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

/// A provider that holds every call until the harness answers it, and a worker that
/// sends it one.
fn provider_and_worker(gates: &Gates) -> (lab_kit::http::ThreadServer, WorkerSession) {
    let held = gates.clone();
    let router = Router::new().route(
        "/mail",
        post(move |body: String| async move {
            held.hold("provider", format!("POST /mail {body}"))
                .await
                .answered("202 Accepted");
            (StatusCode::ACCEPTED, "queued")
        }),
    );
    let server = serve_on_thread(router).unwrap();
    let url = server.url("/mail");
    let worker = WorkerSession::new("w", gates).step("w_send", "send the mail", move || {
        let (status, body) = post_json_blocking(&url, "{}").map_err(|e| e.to_string())?;
        Ok(format!("{status} {body}"))
    });
    (server, worker)
}

#[test]
fn a_held_call_keeps_its_worker_waiting_until_a_step_answers_it() {
    let gates = Gates::new();
    let (_server, mut worker) = provider_and_worker(&gates);
    let mut provider = ServiceSession::new("provider", &gates).answer("provider_answer");
    let permutation = ["w_send", "provider_answer", "provider_answer"];
    let result = interleave::run(&mut [&mut worker, &mut provider], &permutation).unwrap();
    assert_eq!(
        result.transcript.lines(),
        [
            "w: [w_send] send the mail <waiting: provider holds POST /mail {}>",
            "provider: [provider_answer] answer the oldest held call -> POST /mail {} -> 202 Accepted",
            "w: [w_send] <... completed> -> 202 queued",
            "provider: [provider_answer] answer the oldest held call -> nothing to answer: no call is held",
        ]
    );
    assert!(result.step("w_send").unwrap().waited);
    assert_eq!(gates.calls(), 1);
}

#[test]
fn open_gates_let_a_call_through_at_once() {
    let gates = Gates::open();
    let (_server, mut worker) = provider_and_worker(&gates);
    let result = interleave::run(&mut [&mut worker], &["w_send"]).unwrap();
    assert_eq!(
        result.transcript.lines(),
        ["w: [w_send] send the mail -> 202 queued"]
    );
}

#[test]
fn a_story_that_ends_with_a_held_call_stops_its_server_anyway() {
    let gates = Gates::new();
    let (server, mut worker) = provider_and_worker(&gates);
    let result = interleave::run(&mut [&mut worker], &["w_send"]).unwrap();
    assert_eq!(result.still_waiting().len(), 1);
    // Dropping the server drops the held request instead of waiting for it.
    drop(server);
}
