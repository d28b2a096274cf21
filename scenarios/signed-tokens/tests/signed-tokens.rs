//! The lab's own checks: snapshots and verdicts of both variants, the fix's tokens
//! byte for byte against Django's, and broken's shrunk counterexamples of the properties.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use proptest::prelude::*;
use serde_json::json;
use signed_tokens::model::{SECRET_KEY, START, Tokens, UNSUBSCRIBE, payload};
use signed_tokens::property::{
    CASES, IDS, TIMES, every_single_byte_mutation_is_refused, purposes_never_cross,
};
use signed_tokens::{SCENARIO, broken, fixed};

const BROKEN: Tokens = Tokens {
    dumps: broken::dumps,
    loads: broken::loads,
};

#[test]
fn broken_links_unsubscribe_ann_and_confirm_carol_and_erin() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(
        report.observations["attacks_that_changed_a_row"],
        json!(["tampered_id", "other_purpose", "expired"])
    );
    assert_eq!(report.observations["payload_readable"], r#"{"id":3}"#);
}

#[test]
fn fixed_links_refuse_all_three_and_still_work_for_their_owners() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let attacks = &report.observations["attacks"];
    assert_eq!(attacks["tampered_id"]["refused_as"], "bad signature");
    assert_eq!(attacks["other_purpose"]["refused_as"], "bad signature");
    assert_eq!(attacks["expired"]["refused_as"], "expired");
    assert_eq!(
        report.observations["legit_links"],
        json!({"own_confirm": 200, "own_unsubscribe_after_3_days": 200})
    );
    // Signed, not encrypted: anyone reads the payload.
    assert_eq!(report.observations["payload_readable"], r#"{"id":3}"#);
}

#[test]
fn fixed_mints_what_django_signing_dumps_mints() {
    // signing.dumps({"id": 3}, key=SECRET_KEY, salt="newsletter.unsubscribe") at START,
    // printed by Django 5.2 (time.time patched); the twin checks it on every run.
    let token = fixed::dumps(SECRET_KEY, UNSUBSCRIBE, &payload(3), START);
    insta::assert_snapshot!("fixed_token", token);
}

#[test]
fn broken_fails_the_mutation_property_with_a_minimal_counterexample() {
    let strategy = (IDS, TIMES);
    let ((id, now), failure) =
        lab_kit::property::minimal_counterexample(&strategy, CASES, |&(id, now)| {
            every_single_byte_mutation_is_refused(BROKEN, id, now)
        })
        .expect("the broken tokens must fail");
    insta::assert_yaml_snapshot!(
        "broken_mutation_counterexample",
        json!({"id": id, "now": now, "failure": failure})
    );
}

#[test]
fn broken_fails_the_purpose_property_with_a_minimal_counterexample() {
    let strategy = (IDS, TIMES);
    let ((id, now), failure) =
        lab_kit::property::minimal_counterexample(&strategy, CASES, |&(id, now)| {
            purposes_never_cross(BROKEN, id, now)
        })
        .expect("the broken tokens must fail");
    assert_eq!(
        (id, now),
        (IDS.start, TIMES.start),
        "shrunk to the smallest input"
    );
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"id": id, "now": now, "failure": failure})
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 16, failure_persistence: None, ..ProptestConfig::default() })]

    /// The tokens are readable: the payload segment of a fixed token is the broken token.
    #[test]
    fn fixed_payload_is_the_same_base64_json_broken_sends(id in IDS, now in TIMES) {
        let plain = broken::dumps(SECRET_KEY, UNSUBSCRIBE, &payload(id), now);
        let signed = fixed::dumps(SECRET_KEY, UNSUBSCRIBE, &payload(id), now);
        prop_assert_eq!(signed.split(':').next(), Some(plain.as_str()));
    }
}
