//! The checks a fix must pass; they travel with the homework and grade it. Each fix is
//! graded on its own promise and on the whole story: the forgery moves nothing and the
//! victim's own transfer still goes through.

use csrf_forgery::{defence, fixed, property, run};
use proptest::prelude::*;
use serde_json::json;

#[track_caller]
fn check(name: &str, defence: csrf_forgery::model::Defence) {
    let report = run::run(name, defence).expect("the story runs");
    assert!(!report.pitfall_observed, "{}", report.symptom);
    assert_eq!(
        report.observations["own_transfer"],
        json!({"status": 200, "money_moved": true})
    );
    assert_eq!(report.observations["forged_transfer"]["money_moved"], false);
}

#[test]
fn fixed_masked_secret_stops_the_forgery_and_keeps_the_own_transfer() {
    check("fixed_masked_secret", defence!(fixed::masked_secret));
}

#[test]
fn fixed_origin_match_stops_the_forgery_and_keeps_the_own_transfer() {
    check("fixed_origin_match", defence!(fixed::origin_match));
}

#[test]
fn fixed_lax_cookie_stops_the_forgery_and_keeps_the_own_transfer() {
    check("fixed_lax_cookie", defence!(fixed::lax_cookie));
}

#[test]
fn fixed_lax_cookie_stays_off_cross_site_posts() {
    let d = defence!(fixed::lax_cookie);
    assert_eq!(
        property::cookie_stays_off_cross_site_posts(d.session_cookie, "abc"),
        Ok(())
    );
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 64,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn fixed_masked_secret_tokens_unmask_to_the_secret_and_forgeries_fail(
        seed in any::<u64>(),
        flip in 0usize..64,
    ) {
        let d = defence!(fixed::masked_secret);
        let holds = property::tokens_mask_the_secret(d.form_token, d.check, seed, flip);
        prop_assert_eq!(holds, Ok(()));
    }

    #[test]
    fn fixed_origin_match_refuses_every_foreign_origin(
        origin in "https?://[a-z]{1,8}\\.test(:[0-9]{1,5})?",
    ) {
        let d = defence!(fixed::origin_match);
        prop_assert_eq!(property::foreign_origins_are_refused(d.check, &origin), Ok(()));
    }
}
