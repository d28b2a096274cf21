//! Snapshots and verdicts of both variants and the call-site form of the fix (the guard
//! and the property over random edits are in `properties.rs`, which also grades homework).

use lab_kit::Report;
use stale_update_fields::model::{Article, Clock, Field, SCHEMA};
use stale_update_fields::story::NEW_BODY;
use stale_update_fields::{SCENARIO, broken, guard};

/// Runs the variant `name` and asserts its verdict: the pitfall shows exactly when it is
/// the broken variant.
#[track_caller]
fn check(name: &str, pitfall_expected: bool) -> Report {
    let report = lab_kit::testing::verdict(&SCENARIO, name);
    assert_eq!(report.pitfall_observed, pitfall_expected);
    // In both variants the edit itself reached the row: only the readers differ.
    assert_eq!(
        report.observations["stored_body"],
        format!("Launch notes\n{NEW_BODY}")
    );
    report
}

#[test]
fn broken_answers_304_and_the_browser_keeps_the_old_body() {
    let report = check("broken", true);
    let o = &report.observations;
    assert_eq!(
        o["update_sql"],
        serde_json::json!(["UPDATE app_article SET body = ?1 WHERE id = ?2"])
    );
    // Django's behaviour: pre_save() never ran for updated_at, in memory or in the row.
    assert_eq!(
        o["updated_at"]["in_memory_after_save"],
        o["updated_at"]["before_edit"]
    );
    assert_eq!(
        o["updated_at"]["row_after_save"],
        o["updated_at"]["before_edit"]
    );
    assert_eq!(o["revalidation"]["status"], 304);
    assert_eq!(
        o["revalidation"]["browser_displays"],
        "Launch notes\nFirst draft"
    );
    assert_eq!(o["new_visitor"]["page_cache"], "hit");
    assert_eq!(
        o["stale_readers"],
        serde_json::json!(["browser", "visitor"])
    );
    assert_eq!(o["guard_findings"].as_array().map(Vec::len), Some(1));
    insta::assert_yaml_snapshot!("broken", report);
}

#[test]
fn fixed_answers_200_with_the_new_body_and_a_new_etag() {
    let report = check("fixed", false);
    let o = &report.observations;
    assert_eq!(
        o["update_sql"],
        serde_json::json!(["UPDATE app_article SET body = ?1, updated_at = ?2 WHERE id = ?3"])
    );
    assert_eq!(o["revalidation"]["status"], 200);
    assert_ne!(
        o["validators"]["etag_before"],
        o["validators"]["etag_after"]
    );
    // The edit came 350 ms after the creation, in the same second: Last-Modified cannot
    // tell them apart, the full-precision ETag can (and If-None-Match takes precedence).
    assert_eq!(
        o["validators"]["last_modified_before"],
        o["validators"]["last_modified_after"]
    );
    // The revalidation rendered the new page under the new key; the visitor reuses it.
    assert_eq!(o["revalidation"]["page_cache"], "miss");
    assert_eq!(o["new_visitor"]["displays"], o["stored_body"]);
    assert_eq!(o["guard_findings"], serde_json::json!([]));
    insta::assert_yaml_snapshot!("fixed", report);
}

/// The call-site form of the fix: the broken model layer, but every caller lists
/// `updated_at` itself, as in `article.save(update_fields=["body", "updated_at"])`.
fn call_site_lists_updated_at(
    conn: &rusqlite::Connection,
    clock: &Clock,
    article: &mut Article,
    fields: &[Field],
) -> rusqlite::Result<()> {
    let mut fields = fields.to_vec();
    if !fields.is_empty() {
        fields.push(Field::UpdatedAt);
    }
    broken::save_fields(conn, clock, article, &fields)
}

#[test]
fn the_call_site_form_also_moves_updated_at_in_the_row() {
    let conn = lab_kit::sqlite::memory().expect("an in-memory database");
    conn.execute_batch(SCHEMA).expect("the schema");
    let clock = Clock::starting_at(Clock::START);
    let mut article = Article::create(&conn, &clock, "t", "b").expect("the seed row");
    clock.advance(7);
    article.body = "c".into();
    call_site_lists_updated_at(&conn, &clock, &mut article, &[Field::Body]).expect("saved");
    let row = Article::load(&conn, article.id)
        .expect("loads")
        .expect("exists");
    assert_eq!(row.updated_at, Clock::START + 7);
    assert_eq!(
        guard::audit_partial_save(call_site_lists_updated_at)
            .expect("runs")
            .len(),
        0
    );
}
