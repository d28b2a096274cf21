//! What a fix must pass: on the seed and on every generated data set (a fixed seed, so
//! the same data every run) the page costs the same number of queries at every size and
//! is byte for byte the page the broken list renders. A copy of the broken list fails
//! each of these. This file travels with the homework export and grades it.

use n_plus_one::fixed;
use n_plus_one::model::{ArticleList, Dataset};
use n_plus_one::property::{
    CASES, MAX_ARTICLES, MAX_AUTHORS, MAX_TAGS, TITLE, constant_queries_same_page, numbered,
};
use proptest::prelude::*;

/// Up to six articles by up to three authors with up to three tags each, and two or
/// three page sizes, some beyond the number of articles.
fn cases() -> impl Strategy<Value = (Dataset, Vec<usize>)> {
    (1..=MAX_AUTHORS, 0..=MAX_TAGS).prop_flat_map(|(authors, tags)| {
        let article = (
            TITLE,
            0..authors,
            proptest::collection::vec(0..tags.max(1), 0..=tags),
        );
        (
            proptest::collection::vec(article, 1..=MAX_ARTICLES),
            proptest::collection::vec(1..=MAX_ARTICLES + 2, 2..=3),
        )
            .prop_map(move |(articles, sizes)| (numbered(authors, tags, articles), sizes))
    })
}

/// Asserts the property for `list` on the seed (1, 10 and 50 articles) and on every
/// generated case, failing with the shrunk case that breaks it.
#[track_caller]
fn check(list: ArticleList) {
    assert_eq!(
        constant_queries_same_page(list, &Dataset::seed(), &[1, 10, 50]),
        Ok(()),
        "the seed"
    );
    let found = lab_kit::property::minimal_counterexample(&cases(), CASES, |(data, sizes)| {
        constant_queries_same_page(list, data, sizes)
    });
    if let Some(((data, sizes), reason)) = found {
        panic!(
            "{reason}\nat sizes {sizes:?} on the data:\n{}",
            data.describe().join("\n")
        );
    }
}

#[test]
fn fixed_select_related_costs_the_same_queries_at_any_size_with_the_same_page() {
    check(fixed::select_related::articles);
}

#[test]
fn fixed_prefetch_related_costs_the_same_queries_at_any_size_with_the_same_page() {
    check(fixed::prefetch_related::articles);
}
