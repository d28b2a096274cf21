//! What grades a fix, through broken.rs's API only: for generated settings that hide
//! secrets under any name, in URLs and in nested lists and maps, the error page shows
//! none of them, and the log carries the report with every secret-looking value masked.
//! A copy of broken.rs fails both tests.

use debug_error_page::fixed;
use debug_error_page::model::ServerErrorFn;
use debug_error_page::property::{
    self, CASES, Case, Entry, HIDDEN_WORDS, Nesting, Shape, error_body_reveals_no_secret,
    log_reports_and_masks,
};
use proptest::prelude::*;

/// A secret's text: letters then digits (so it is never part of a name or a word).
const SECRET: &str = "[a-z]{3,6}[0-9]{1,3}[a-z0-9]{0,4}";

fn nesting() -> impl Strategy<Value = Nesting> {
    prop_oneof![
        Just(Nesting::Top),
        Just(Nesting::InList),
        "[a-z]{1,6}".prop_map(Nesting::InMap),
    ]
}

/// One to five settings; `bare` allows secrets that nothing marks as secret.
fn entries(bare: bool) -> impl Strategy<Value = Vec<Entry>> {
    let shape = prop_oneof![
        Just(if bare { Shape::Bare } else { Shape::Token }),
        (0..HIDDEN_WORDS.len()).prop_map(Shape::HiddenName),
        Just(Shape::UrlPassword),
        Just(Shape::UrlKey),
        Just(Shape::Token),
    ];
    proptest::collection::vec(("[A-Z][A-Z_]{0,9}", shape, nesting(), SECRET), 1..6)
}

/// Asserts `property` for `fixed::server_error` on every generated case (a fixed seed, so
/// the same cases every run), failing with the shrunk case that breaks it.
#[track_caller]
fn check(
    strategy: impl Strategy<Value = Vec<Entry>>,
    property: fn(ServerErrorFn, &Case) -> Result<(), String>,
) {
    let found = lab_kit::property::minimal_counterexample(&strategy, CASES, |entries| {
        property(fixed::server_error, &property::case(entries.clone()))
    });
    if let Some((entries, reason)) = found {
        let case = property::case(entries);
        panic!("{reason}\nwith the settings {:?}", case.settings);
    }
}

#[test]
fn fixed_error_page_shows_no_secret_whatever_the_settings_hold() {
    check(entries(true), error_body_reveals_no_secret);
}

#[test]
fn fixed_log_holds_the_report_with_secret_looking_values_masked() {
    check(entries(false), log_reports_and_masks);
}
