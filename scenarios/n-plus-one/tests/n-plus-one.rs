//! Snapshots and verdicts of every variant on the seed, the SQL each one sends, and the
//! broken list's shrunk counterexample (the checks that grade a fix are in
//! `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::Report;
use n_plus_one::model::{Dataset, SEED_ARTICLES};
use n_plus_one::property::{
    CASES, MAX_ARTICLES, MAX_AUTHORS, MAX_TAGS, TITLE, constant_queries_same_page, numbered,
};
use n_plus_one::{SCENARIO, broken};
use proptest::prelude::*;
use serde_json::{Value, json};

/// The queries per page size, as `[(articles, queries)]`.
fn counts(report: &Report) -> Vec<(u64, u64)> {
    report.observations["query_counts"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| {
            (
                c["articles"].as_u64().unwrap(),
                c["queries"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// The statements of the 50-article page, as `[(times, sql)]`.
fn sql(report: &Report) -> Vec<(u64, String)> {
    report.observations["sql"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|s| {
            (
                s["times"].as_u64().unwrap(),
                s["sql"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn broken_runs_two_more_queries_for_every_article_on_the_page() {
    let report = lab_kit::check!(SCENARIO, "broken");
    assert_eq!(counts(&report), [(1, 3), (10, 21), (50, 101)]);
    let sql = sql(&report);
    // One list query, then the author and the tags of each article, one by one.
    assert_eq!(sql.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [1, 50, 50]);
    assert!(
        sql[1].1.ends_with("WHERE app_author.id = ? LIMIT 21"),
        "{}",
        sql[1].1
    );
    assert!(
        sql[2].1.contains("WHERE app_article_tags.article_id = ?"),
        "{}",
        sql[2].1
    );
}

#[test]
fn fixed_select_related_joins_the_author_and_batches_the_tags() {
    let report = lab_kit::check!(SCENARIO, "fixed_select_related");
    assert_eq!(counts(&report), [(1, 2), (10, 2), (50, 2)]);
    let sql = sql(&report);
    assert_eq!(sql.len(), 2);
    assert!(
        sql[0].1.contains("INNER JOIN app_author ON"),
        "{}",
        sql[0].1
    );
    let marks = vec!["?"; SEED_ARTICLES].join(", ");
    assert!(
        sql[1].1.contains(&format!("article_id IN ({marks})")),
        "{}",
        sql[1].1
    );
}

#[test]
fn fixed_prefetch_related_runs_one_query_per_relation() {
    let report = lab_kit::check!(SCENARIO, "fixed_prefetch_related");
    assert_eq!(counts(&report), [(1, 3), (10, 3), (50, 3)]);
    let sql = sql(&report);
    // Django 5.2 on SQLite: the foreign key's batch is one `id = ?` per distinct author,
    // joined by OR (five authors in the seed); the many-to-many batch is an IN list.
    let authors = ["app_author.id = ?"; 5].join(" OR ");
    assert!(
        sql[1].1.ends_with(&format!("WHERE ({authors})")),
        "{}",
        sql[1].1
    );
    assert!(sql[2].1.contains("article_id IN (?"), "{}", sql[2].1);
}

#[test]
fn every_variant_serves_the_same_page() {
    let pages: Vec<Value> = SCENARIO
        .variants
        .iter()
        .map(|v| lab_kit::testing::verdict(&SCENARIO, v.name).observations["page"].clone())
        .collect();
    assert!(pages.iter().all(|p| *p == pages[0]), "{pages:#?}");
    assert_eq!(pages[0]["articles"], json!(50));
}

#[test]
fn the_seed_has_articles_without_tags_and_authors_with_several_articles() {
    let seed = Dataset::seed();
    assert_eq!(seed.articles.len(), SEED_ARTICLES);
    assert!(seed.articles.iter().any(|a| a.tags.is_empty()));
    assert!(seed.articles.iter().any(|a| a.tags.len() == 4));
    assert!((0..5).all(|author| seed.articles.iter().filter(|a| a.author == author).count() > 1));
}

/// The space `properties.rs` draws from.
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

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let ((data, sizes), reason) =
        lab_kit::property::minimal_counterexample(&cases(), CASES, |(data, sizes)| {
            constant_queries_same_page(broken::articles, data, sizes)
        })
        .expect("the broken list must fail");
    // The smallest failing case: two articles, and two sizes that show one and both.
    assert_eq!(data.articles.len(), 2, "{data:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"articles": data.describe(), "sizes": sizes, "failure": reason})
    );
}
