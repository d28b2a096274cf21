//! What a fix must pass: on the documentation's example, with the busy blog, and on every
//! generated set of blogs and entries (a fixed seed, so the same data every run), the
//! search lists exactly the blogs that have an entry meeting both conditions, each once.
//! A copy of the broken search fails each of these. This file travels with the homework
//! export and grades it.

use chained_filters_multivalued::fixed;
use chained_filters_multivalued::model::{BlogSearch, Dataset};
use chained_filters_multivalued::property::{
    DATES, HEADLINES, MAX_BLOGS, MAX_ENTRIES, matches_truth, numbered,
};
use proptest::prelude::*;

/// Up to three blogs with up to six entries, each with a headline and a date drawn from
/// the property's short lists.
fn data() -> impl Strategy<Value = Dataset> {
    (1..=MAX_BLOGS).prop_flat_map(|blogs| {
        let entry = (0..blogs, 0..HEADLINES.len(), 0..DATES.len());
        proptest::collection::vec(entry, 0..=MAX_ENTRIES)
            .prop_map(move |entries| numbered(blogs, &entries))
    })
}

/// Asserts that `search` matches the truth on both report data sets and on 256
/// generated ones, failing with the shrunk data set that breaks it.
#[track_caller]
fn check(search: BlogSearch) {
    for (name, data) in [
        ("the documentation's example", Dataset::docs_example()),
        ("the example with the busy blog", Dataset::with_busy_blog()),
    ] {
        assert_eq!(matches_truth(search, &data), Ok(()), "{name}");
    }
    let found =
        lab_kit::property::minimal_counterexample(&data(), 256, |data| matches_truth(search, data));
    if let Some((data, reason)) = found {
        panic!("{reason}\non the entries: {:#?}", data.describe());
    }
}

#[test]
fn fixed_one_filter_lists_exactly_the_blogs_with_a_matching_entry() {
    check(fixed::one_filter::blogs);
}

#[test]
fn fixed_exists_subquery_lists_exactly_the_blogs_with_a_matching_entry() {
    check(fixed::exists_subquery::blogs);
}
