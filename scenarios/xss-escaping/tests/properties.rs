//! What grades a fix, through broken.rs's API only: the seeded comments, the attacker's
//! payloads among them, give a page with only the template's own elements, and so does
//! any generated text, every comment reading back as typed. A copy of broken.rs fails
//! both tests.

use proptest::prelude::*;
use xss_escaping::fixed;
use xss_escaping::model::{NewComment, SEED};
use xss_escaping::property::{self, CASES, TEXT, page_is_inert_and_as_typed};

/// One to four comments of generated text.
fn posts() -> impl Strategy<Value = Vec<NewComment>> {
    proptest::collection::vec((TEXT, TEXT), 1..5).prop_map(property::posts)
}

#[test]
fn fixed_page_of_the_seeded_payloads_holds_only_the_templates_elements() {
    let posts: Vec<NewComment> = SEED.iter().map(|post| post.new_comment()).collect();
    assert_eq!(
        page_is_inert_and_as_typed(fixed::render_page, &posts),
        Ok(())
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_page_shows_any_text_as_typed_and_injects_nothing(comments in posts()) {
        prop_assert_eq!(page_is_inert_and_as_typed(fixed::render_page, &comments), Ok(()));
    }
}
