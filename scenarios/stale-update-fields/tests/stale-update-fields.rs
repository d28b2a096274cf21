//! Snapshots and verdicts of both variants, the guard on the broken model, the call-site
//! form of the fix, the model's own rules, and the broken save's shrunk counterexample
//! (the checks that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use lab_kit::Report;
use proptest::prelude::*;
use stale_update_fields::model::{
    Article, Clock, Edit, Field, NEW_BODY, PartialSave, SCHEMA, time_of_day,
};
use stale_update_fields::property::{
    CASES, MAX_EDITS, MAX_PAUSE_MICROS, TEXT, readers_see_the_row,
};
use stale_update_fields::{SCENARIO, broken, guard};

/// Runs the variant `name`, asserts its verdict and snapshots its report; in both
/// variants the edit itself reached the row, only the readers differ.
#[track_caller]
fn check(name: &str) -> Report {
    let report = lab_kit::check!(SCENARIO, name);
    assert_eq!(
        report.observations["stored_body"],
        format!("Launch notes\n{NEW_BODY}")
    );
    report
}

#[test]
fn broken_answers_304_and_the_browser_keeps_the_old_body() {
    let report = check("broken");
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
}

#[test]
fn fixed_answers_200_with_the_new_body_and_a_new_etag() {
    let report = check("fixed");
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
}

#[test]
fn the_guard_flags_every_partial_save_of_the_broken_model() {
    let findings = guard::audit_partial_save(broken::save_fields).expect("the audit runs");
    // title, body, and title + body: three UPDATEs, none writing updated_at.
    assert_eq!(findings.len(), 3, "{findings:#?}");
    assert!(findings.iter().all(|f| f.contains("without updated_at")));
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

#[test]
fn time_of_day_keeps_the_microseconds() {
    assert_eq!(time_of_day(Clock::START), "09:00:00.250000");
    assert_eq!(time_of_day(Clock::START + 3_600_000_001), "10:00:00.250001");
}

#[test]
fn a_full_save_stamps_the_clock_on_the_row() {
    let conn = lab_kit::sqlite::memory().unwrap();
    conn.execute_batch(SCHEMA).unwrap();
    let clock = Clock::starting_at(Clock::START);
    let mut article = Article::create(&conn, &clock, "t", "b").unwrap();
    clock.advance(5);
    article.body = "c".into();
    article.save(&conn, &clock).unwrap();
    let row = Article::load(&conn, article.id).unwrap().unwrap();
    assert_eq!(row, article);
    assert_eq!(row.updated_at, Clock::START + 5);
}

/// Up to four edits, each changing a random subset of the fields to short random text,
/// a microsecond to three seconds after the previous one (the space `properties.rs`
/// draws from).
fn edit_sequences() -> impl Strategy<Value = Vec<Edit>> {
    let text = || proptest::option::of(TEXT);
    let edit = (1..MAX_PAUSE_MICROS, text(), text()).prop_map(|(after_micros, title, body)| Edit {
        after_micros,
        title,
        body,
    });
    proptest::collection::vec(edit, 1..=MAX_EDITS)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let save: PartialSave = broken::save_fields;
    let (edits, reason) =
        lab_kit::property::minimal_counterexample(&edit_sequences(), CASES, |edits| {
            readers_see_the_row(save, edits)
        })
        .expect("the broken save must fail");
    // One edit of one field is enough: nothing moves the validators.
    assert_eq!(edits.len(), 1, "{edits:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        serde_json::json!({ "edits": edits, "failure": reason })
    );
}
