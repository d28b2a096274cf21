//! What grades a fix, through broken.rs's API only: the links story over HTTP changes no
//! row it should not, and for any id and time every single-byte change of a token is
//! refused, purposes never cross, and a token past its max age is refused. A copy of
//! broken.rs fails every test.

use proptest::prelude::*;
use signed_tokens::fixed;
use signed_tokens::model::Tokens;
use signed_tokens::property::{
    AGES, CASES, IDS, TIMES, every_single_byte_mutation_is_refused, purposes_never_cross,
    refused_after_max_age,
};

const FIXED: Tokens = Tokens {
    dumps: fixed::dumps,
    loads: fixed::loads,
};

#[test]
fn fixed_links_story_changes_no_row_an_attacker_aimed_at() {
    let report = signed_tokens::run::run(FIXED).expect("the story runs");
    assert_eq!(
        report.observations["attacks_that_changed_a_row"],
        serde_json::json!([]),
        "{}",
        report.symptom
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_refuses_every_single_byte_mutation(id in IDS, now in TIMES) {
        prop_assert_eq!(every_single_byte_mutation_is_refused(FIXED, id, now), Ok(()));
    }

    #[test]
    fn fixed_never_validates_a_token_for_another_purpose(id in IDS, now in TIMES) {
        prop_assert_eq!(purposes_never_cross(FIXED, id, now), Ok(()));
    }

    #[test]
    fn fixed_refuses_a_token_past_its_max_age(id in IDS, minted in TIMES, age in AGES) {
        prop_assert_eq!(refused_after_max_age(FIXED, id, minted, age), Ok(()));
    }
}
