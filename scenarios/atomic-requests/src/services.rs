//! The services a checkout calls, real HTTP endpoints on loopback whose answers wait until
//! a step of the story releases them (a slow provider, without a timer): the payment
//! provider, which charges the card and keeps a ledger, and the warehouse, up or down.

use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use lab_kit::interleave::Gates;
use serde::{Deserialize, Serialize};

/// One charge the payment provider made.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Charge {
    pub charge: String,
    pub order: i64,
    pub amount: i64,
}

/// Every charge the provider made, in order: money taken, whatever the shop did next.
#[derive(Debug, Clone, Default)]
pub struct Ledger(Arc<Mutex<Vec<Charge>>>);

impl Ledger {
    /// A copy of the charges so far.
    pub fn charges(&self) -> Vec<Charge> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }
}

#[derive(Debug, Deserialize)]
struct ChargeRequest {
    order: i64,
    amount: i64,
}

/// `POST /charges {"order", "amount"}`: once released, charges the card and answers
/// `201 {"charge": "ch_<n>"}`.
pub fn payments(gates: Gates, ledger: Ledger) -> Router {
    Router::new()
        .route("/charges", post(charge))
        .with_state((gates, ledger))
}

async fn charge(
    State((gates, ledger)): State<(Gates, Ledger)>,
    body: String,
) -> (StatusCode, String) {
    let Ok(request) = serde_json::from_str::<ChargeRequest>(&body) else {
        return (
            StatusCode::BAD_REQUEST,
            "expected {\"order\", \"amount\"}".to_owned(),
        );
    };
    let shown = format!(
        "POST /charges order={} amount={}",
        request.order, request.amount
    );
    let held = gates.hold("payments", shown).await;
    let charge = {
        let mut charges = ledger.0.lock().unwrap_or_else(PoisonError::into_inner);
        let charge = format!("ch_{}", charges.len() + 1);
        charges.push(Charge {
            charge: charge.clone(),
            order: request.order,
            amount: request.amount,
        });
        charge
    };
    held.answered(format!("201 Created, card charged: {charge}"));
    (StatusCode::CREATED, format!("{{\"charge\": \"{charge}\"}}"))
}

/// `POST /shipments {"order"}`: once released, `202 Accepted` when the warehouse is `up`,
/// `503 Service Unavailable` when it is down.
pub fn warehouse(gates: Gates, up: bool) -> Router {
    Router::new()
        .route("/shipments", post(ship))
        .with_state((gates, up))
}

async fn ship(State((gates, up)): State<(Gates, bool)>, body: String) -> (StatusCode, String) {
    let shown = format!("POST /shipments {}", body.trim());
    let held = gates.hold("warehouse", shown).await;
    let (status, text) = match up {
        true => (StatusCode::ACCEPTED, "shipment queued"),
        false => (
            StatusCode::SERVICE_UNAVAILABLE,
            "warehouse down for maintenance",
        ),
    };
    held.answered(format!("{status}"));
    (status, text.to_owned())
}
