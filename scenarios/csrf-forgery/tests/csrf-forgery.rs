//! Snapshots and verdicts of every variant, and the broken variant's smallest failing
//! inputs (stays in the lab).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use csrf_forgery::{SCENARIO, broken, defence, property};
use serde_json::json;

#[test]
fn broken_moves_alices_money_to_mallory() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let forged = &report.observations["forged_transfer"];
    assert_eq!(forged["status"], 200);
    assert_eq!(forged["session_cookie_sent"], true);
    assert_eq!(forged["origin"], "http://attacker.test");
    assert_eq!(
        report.observations["balances"]["after_forged"]["mallory"],
        500
    );
    assert_eq!(report.observations["own_transfer"]["money_moved"], true);
}

#[test]
fn fixed_masked_secret_refuses_the_forgery_with_403_and_masks_every_form() {
    let report = lab_kit::check!(SCENARIO, "fixed_masked_secret");
    assert_eq!(report.observations["forged_transfer"]["status"], 403);
    assert_eq!(
        report.observations["own_transfer"],
        json!({"status": 200, "money_moved": true})
    );
    assert_eq!(
        report.observations["form_tokens"],
        json!({"lengths": [64, 64], "distinct": true, "unmask_to_session_secret": true})
    );
}

#[test]
fn fixed_origin_match_refuses_the_forgery_with_403() {
    let report = lab_kit::check!(SCENARIO, "fixed_origin_match");
    assert_eq!(report.observations["forged_transfer"]["status"], 403);
    assert_eq!(
        report.observations["own_transfer"],
        json!({"status": 200, "money_moved": true})
    );
}

#[test]
fn fixed_lax_cookie_post_arrives_without_the_session_cookie() {
    let report = lab_kit::check!(SCENARIO, "fixed_lax_cookie");
    let forged = &report.observations["forged_transfer"];
    assert_eq!(forged["session_cookie_sent"], false);
    assert_eq!(forged["status"], 401);
    assert_eq!(
        report.observations["own_transfer"],
        json!({"status": 200, "money_moved": true})
    );
}

#[test]
fn broken_fails_every_property_at_once() {
    let d = defence!(broken);
    let token = property::tokens_mask_the_secret(d.form_token, d.check, 0, 0);
    let origin = property::foreign_origins_are_refused(d.check, "http://attacker.test");
    let cookie = property::cookie_stays_off_cross_site_posts(d.session_cookie, "k");
    let (_, why) =
        lab_kit::property::minimal_counterexample(&"http://[a-z]{1,3}\\.test", 64, |o| {
            property::foreign_origins_are_refused(d.check, o)
        })
        .expect("broken accepts a foreign origin");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"token": token, "origin": origin, "shrunk_origin": why, "cookie": cookie})
    );
}
