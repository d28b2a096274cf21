//! What grades a fix, through broken.rs's API only: the customers' and attackers'
//! searches answer the truth, and for any search text the database is asked one constant
//! SQL text and the answer is the truth. A copy of broken.rs fails both tests.

use proptest::prelude::*;
use sql_injection::fixed;
use sql_injection::property::{CASES, QUERY_TEXT, one_constant_statement_and_the_truth};
use sql_injection::run::SEARCHES;

#[test]
fn fixed_answers_every_seeded_search_with_the_truth() {
    for (_, q) in SEARCHES {
        assert_eq!(
            one_constant_statement_and_the_truth(fixed::search, q),
            Ok(())
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_runs_one_constant_sql_text_and_answers_the_truth_for_any_text(q in QUERY_TEXT) {
        prop_assert_eq!(one_constant_statement_and_the_truth(fixed::search, &q), Ok(()));
    }
}
