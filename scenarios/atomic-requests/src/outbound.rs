//! The app's clients for the services it calls during a checkout: the payment provider
//! (`POST /charges`) and the warehouse (`POST /shipments`). A call waits for the answer,
//! as `requests.post()` in a view does; a refusal is raised (`raise_for_status()`).

use serde::Deserialize;

use crate::model::ViewError;

/// Where the services live.
#[derive(Debug, Clone)]
pub struct Outbound {
    payments: String,
    warehouse: String,
}

#[derive(Debug, Deserialize)]
struct Charged {
    charge: String,
}

impl Outbound {
    /// Clients for the payment provider at `payments` and the warehouse at `warehouse`.
    pub fn new(payments: String, warehouse: String) -> Self {
        Self {
            payments,
            warehouse,
        }
    }

    /// Charges the customer's card `amount` for `order`: the provider's charge id.
    pub fn charge(&self, order: i64, amount: i64) -> Result<String, ViewError> {
        let json = format!("{{\"order\": {order}, \"amount\": {amount}}}");
        let (status, body) = post("payments", &self.payments, &json)?;
        match (status, serde_json::from_str::<Charged>(&body)) {
            (201, Ok(charged)) => Ok(charged.charge),
            _ => Err(ViewError::Refused {
                service: "payments",
                status,
                body,
            }),
        }
    }

    /// Asks the warehouse to ship `order`.
    pub fn ship(&self, order: i64) -> Result<(), ViewError> {
        let (status, body) = post(
            "warehouse",
            &self.warehouse,
            &format!("{{\"order\": {order}}}"),
        )?;
        match status {
            202 => Ok(()),
            _ => Err(ViewError::Refused {
                service: "warehouse",
                status,
                body,
            }),
        }
    }
}

fn post(service: &'static str, url: &str, json: &str) -> Result<(u16, String), ViewError> {
    lab_kit::http::post_json_blocking(url, json).map_err(|e| ViewError::Unreachable {
        service,
        why: lab_kit::error_chain(&e),
    })
}
