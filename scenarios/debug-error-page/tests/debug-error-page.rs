//! The lab's own checks: snapshots and verdicts of both variants, and broken's shrunk
//! counterexample of the error-page property.

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use debug_error_page::property::{self, CASES, Entry, Nesting, Shape};
use debug_error_page::{SCENARIO, broken};
use proptest::prelude::*;
use serde_json::{Value, json};

fn names(report: &lab_kit::Report, key: &str) -> Vec<String> {
    report.observations[key]
        .as_array()
        .expect("a list of secret names")
        .iter()
        .map(|v| v.as_str().expect("a name").to_owned())
        .collect()
}

#[test]
fn broken_shows_the_secrets_whose_names_look_innocent() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(report.observations["status"], 500);
    assert_eq!(
        names(&report, "secrets_in_body"),
        [
            "database password",
            "Redis password",
            "Sentry DSN key",
            "alert webhook token"
        ]
    );
    // The log has only django.request's line: no secret there.
    assert_eq!(report.observations["secrets_in_log"], json!([]));
}

#[test]
fn fixed_shows_the_generic_page_and_logs_the_report_masked() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    assert_eq!(report.observations["status"], 500);
    assert_eq!(report.observations["secrets_in_body"], json!([]));
    assert_eq!(report.observations["secrets_in_log"], json!([]));
    assert_eq!(report.observations["log_records"], 2);
}

/// The settings `tests/properties.rs` generates for the error page, smaller.
fn entries() -> impl Strategy<Value = Vec<Entry>> {
    let shape = prop_oneof![
        Just(Shape::Bare),
        Just(Shape::UrlPassword),
        Just(Shape::Token)
    ];
    let nesting = prop_oneof![Just(Nesting::Top), Just(Nesting::InList)];
    proptest::collection::vec(
        (
            "[A-Z][A-Z_]{0,9}",
            shape,
            nesting,
            "[a-z]{3,6}[0-9]{1,3}[a-z0-9]{0,4}",
        ),
        1..6,
    )
}

#[test]
fn broken_fails_the_error_page_property_with_a_minimal_counterexample() {
    let (entries, failure) = lab_kit::property::minimal_counterexample(&entries(), CASES, |e| {
        property::error_body_reveals_no_secret(broken::server_error, &property::case(e.clone()))
    })
    .expect("the broken handler must fail");
    // One setting with an innocent name and a plain value is enough.
    assert_eq!(entries.len(), 1, "{entries:?}");
    let case = property::case(entries);
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"settings": Value::Object(case.settings), "failure": failure})
    );
}

#[test]
fn broken_page_and_fixed_log_read_as_snapshotted() {
    use debug_error_page::model::production_settings;
    use debug_error_page::run::exchange;
    let broken = exchange(production_settings(), broken::server_error).expect("the request");
    insta::assert_snapshot!("broken_page", broken.body);
    let fixed = exchange(production_settings(), debug_error_page::fixed::server_error)
        .expect("the request");
    insta::assert_snapshot!(
        "fixed_page_and_log",
        format!("{}\n--- log ---\n{}", fixed.body, fixed.log.join("\n"))
    );
}
