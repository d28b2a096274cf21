//! A variant's report: ann's checkout while the warehouse is down and bob saves his
//! address, through one permutation, and the verdict - who waited on whose lock, and the
//! charges the provider made against the orders the database holds.

pub mod story;
pub mod world;

use lab_kit::{Chart, Report};

use crate::model::{ANNS_CART, View};
use story::{CHECKOUT, PAYMENTS, Story, WAREHOUSE, WRITE};

/// The report's story: the warehouse is down for maintenance.
pub const WAREHOUSE_UP: bool = false;

/// ann's checkout starts and waits on the payment provider; bob writes; the provider
/// answers, then the warehouse.
pub const PERMUTATION: &[&str] = &[CHECKOUT, WRITE, PAYMENTS, WAREHOUSE];

/// What went wrong, judged against the truth: no other writer waits on a lock held across
/// a call to another service, every charge belongs to an order the shop holds as paid with
/// it, and with the warehouse up a checkout ends with one paid order and one charge.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Verdict {
    /// Steps of other writers that met "database is locked".
    pub writers_that_waited: Vec<String>,
    /// Charges whose order the database does not hold as paid with that charge.
    pub charges_without_a_paid_order: Vec<String>,
    /// What a checkout that should have gone through did not do.
    pub incomplete: Option<String>,
}

impl Verdict {
    /// Whether any of it happened.
    pub fn pitfall(&self) -> bool {
        !self.writers_that_waited.is_empty()
            || !self.charges_without_a_paid_order.is_empty()
            || self.incomplete.is_some()
    }

    /// What a user or the on-call engineer saw, in a line.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if !self.writers_that_waited.is_empty() {
            parts.push(format!(
                "bob's write ({}) got \"database is locked\" while ann's checkout waited for a service",
                self.writers_that_waited.join(", ")
            ));
        }
        if !self.charges_without_a_paid_order.is_empty() {
            parts.push(format!(
                "ann's card was charged ({}) for an order the shop does not have",
                self.charges_without_a_paid_order.join(", ")
            ));
        }
        parts.extend(self.incomplete.clone());
        if parts.is_empty() {
            return "bob's write went through at once, and every charge belongs to a paid \
                    order the shop holds"
                .to_owned();
        }
        parts.join("; ")
    }
}

/// Judges a story told with the warehouse `warehouse_up`.
pub fn judge(story: &Story, warehouse_up: bool) -> Verdict {
    let paid_with = |charge: &crate::services::Charge| {
        story
            .orders
            .iter()
            .any(|o| o.id == charge.order && o.status == "paid" && o.charge == charge.charge)
    };
    let complete = story.checkout_status == Some(201)
        && story.charges.len() == 1
        && story.orders.iter().filter(|o| o.status == "paid").count() == 1;
    let incomplete = if story.charges.len() > 1 {
        Some(format!("ann was charged {} times", story.charges.len()))
    } else if warehouse_up && !complete {
        Some(
            "with every service up, the checkout did not end with one paid order and one charge"
                .to_owned(),
        )
    } else {
        None
    };
    Verdict {
        writers_that_waited: story
            .result
            .steps
            .iter()
            .filter(|r| r.session != "s1" && r.waited)
            .map(|r| r.step.clone())
            .collect(),
        charges_without_a_paid_order: story
            .charges
            .iter()
            .filter(|c| !paid_with(c))
            .map(|c| c.charge.clone())
            .collect(),
        incomplete,
    }
}

/// The story with `view` behind `POST /checkout`, as a report.
pub fn run(view: View) -> lab_kit::Result<Report> {
    let story = story::tell(view, WAREHOUSE_UP, PERMUTATION)?;
    let verdict = judge(&story, WAREHOUSE_UP);
    let waited: Vec<&str> = story
        .result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.as_str())
        .collect();
    let mut transcript = story.result.transcript.clone();
    transcript.push(
        "db",
        format!(
            "orders: {}",
            serde_json::to_string(&story.orders).unwrap_or_default()
        ),
    );
    transcript.push(
        "payments",
        format!(
            "ledger: {}",
            serde_json::to_string(&story.charges).unwrap_or_default()
        ),
    );
    // A handful of charges and writers: far inside the integers f64 holds exactly.
    let chart = Chart::new("ann's checkout, warehouse down", "")
        .bar("charges at the provider", story.charges.len() as f64)
        .bar(
            "charges without a paid order",
            verdict.charges_without_a_paid_order.len() as f64,
        )
        .bar(
            "writers that waited",
            verdict.writers_that_waited.len() as f64,
        );
    Ok(Report::new("", verdict.pitfall(), verdict.describe())
        // The story's input, so the Django twin replays exactly this checkout.
        .observe("cart", ANNS_CART)
        .observe("warehouse", if WAREHOUSE_UP { "up" } else { "down" })
        .observe("permutation", PERMUTATION)
        .observe("checkout_status", story.checkout_status)
        .observe("steps_that_waited", waited)
        .observe("writers_that_waited", &verdict.writers_that_waited)
        .observe("orders", &story.orders)
        .observe("charges", &story.charges)
        .observe(
            "charges_without_a_paid_order",
            &verdict.charges_without_a_paid_order,
        )
        .observe("bobs_address", &story.bobs_address)
        .with_chart(chart)
        .with_transcript(transcript))
}
