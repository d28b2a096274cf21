//! The `--json` form of a [`VariantResult`](super::VariantResult): the outcome's fields
//! beside `name` and `role`.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{Outcome, Role};
use crate::Report;

#[derive(Serialize, Deserialize)]
pub(super) struct Variant {
    name: String,
    role: Role,
    #[serde(flatten)]
    body: Body,
}

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Body {
    Ran {
        pitfall_observed: bool,
        symptom: String,
        observations: Map<String, Value>,
        transcript: Vec<String>,
    },
    Skipped {
        skipped: String,
    },
    Failed {
        error: String,
    },
}

impl From<super::VariantResult> for Variant {
    fn from(v: super::VariantResult) -> Self {
        let body = match v.outcome {
            Outcome::Ran(r) => Body::Ran {
                pitfall_observed: r.pitfall_observed,
                symptom: r.symptom,
                observations: r.observations,
                transcript: r.transcript,
            },
            Outcome::Skipped(skipped) => Body::Skipped { skipped },
            Outcome::Failed(error) => Body::Failed { error },
        };
        Self {
            name: v.name,
            role: v.role,
            body,
        }
    }
}

impl From<Variant> for super::VariantResult {
    fn from(v: Variant) -> Self {
        let outcome = match v.body {
            Body::Ran {
                pitfall_observed,
                symptom,
                observations,
                transcript,
            } => Outcome::Ran(Report {
                name: v.name.clone(),
                pitfall_observed,
                symptom,
                observations,
                transcript,
            }),
            Body::Skipped { skipped } => Outcome::Skipped(skipped),
            Body::Failed { error } => Outcome::Failed(error),
        };
        Self {
            name: v.name,
            role: v.role,
            outcome,
        }
    }
}
