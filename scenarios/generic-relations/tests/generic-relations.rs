//! Snapshots and verdicts of every variant, the SQL each delete sends, what the database
//! lets through in each schema, and the broken blog's shrunk counterexample (the checks
//! that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use generic_relations::model::Target;
use generic_relations::property::{MAX_ID, MAX_OPS, no_orphans, offered, op};
use generic_relations::world::{Op, World};
use generic_relations::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn broken_leaves_three_comments_pointing_at_nothing() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(
        o["orphans"],
        json!([
            "#1 \"Great post\" on article #1: (gone)",
            "#2 \"Typo in the second paragraph\" on article #1: (gone)",
            "#3 \"Nice shot\" on photo #1: (gone)"
        ])
    );
    // One DELETE of the article; the photos go in one statement, unread.
    assert_eq!(
        o["sql"][0],
        json!(["DELETE FROM blog_article WHERE blog_article.id IN (1)"])
    );
    // The list page: the comments, then one query per content type.
    assert_eq!(o["list_queries"], json!(3));
    assert!(
        o["raw_delete"]
            .as_str()
            .unwrap()
            .starts_with("deleted 1 article; 1 more")
    );
    assert!(
        o["dangling_comment"]
            .as_str()
            .unwrap()
            .starts_with("stored comment #5")
    );
}

#[test]
fn fixed_generic_relation_deletes_the_comments_through_the_orm_only() {
    let report = lab_kit::check!(SCENARIO, "fixed_generic_relation");
    let o = &report.observations;
    assert_eq!(o["orphans"], json!([]));
    assert_eq!(o["comments"], o["truth"]);
    assert_eq!(
        o["sql"][0],
        json!([
            "BEGIN",
            "DELETE FROM blog_comment WHERE (blog_comment.content_type_id = 1 AND blog_comment.object_id IN (1))",
            "DELETE FROM blog_article WHERE blog_article.id IN (1)",
            "COMMIT"
        ])
    );
    // The cost of the bulk delete: the photos are read before anything is deleted.
    assert!(
        o["sql"][1][0]
            .as_str()
            .unwrap()
            .starts_with("SELECT blog_photo.id")
    );
    // What bypasses the ORM still orphans: the schema is broken's.
    assert!(
        o["raw_delete"]
            .as_str()
            .unwrap()
            .ends_with("1 more comment pointing at nothing")
    );
    assert!(
        o["dangling_comment"]
            .as_str()
            .unwrap()
            .starts_with("stored comment #5")
    );
}

#[test]
fn fixed_one_key_per_type_lets_the_database_refuse_every_orphan() {
    let report = lab_kit::check!(SCENARIO, "fixed_one_key_per_type");
    let o = &report.observations;
    assert_eq!(o["orphans"], json!([]));
    assert_eq!(o["comments"], o["truth"]);
    assert_eq!(o["list_queries"], json!(1));
    assert_eq!(
        o["raw_delete"],
        json!("refused: FOREIGN KEY constraint failed")
    );
    assert_eq!(
        o["dangling_comment"],
        json!("refused: FOREIGN KEY constraint failed")
    );
}

#[test]
fn a_comment_on_two_targets_or_on_none_is_refused_by_the_check() {
    let world = World::new(fixed::one_key_per_type::BLOG).expect("a fresh database");
    for targets in ["1, 1", "NULL, NULL"] {
        let refused = world
            .conn
            .execute(
                &format!(
                    "INSERT INTO blog_comment (article_id, photo_id, body) VALUES ({targets}, 'Hm')"
                ),
                [],
            )
            .expect_err("not exactly one target");
        assert_eq!(
            refused.to_string(),
            "CHECK constraint failed: comment_has_one_target",
            "{targets}"
        );
    }
}

#[test]
fn an_article_and_a_photo_share_object_ids_and_the_content_type_tells_them_apart() {
    let mut world = World::new(broken::BLOG).expect("a fresh database");
    for op in [
        Op::Article {
            title: "A".to_owned(),
        },
        Op::Photo {
            caption: "P".to_owned(),
        },
        Op::Comment {
            on: Target::Photo(1),
            body: "on the photo".to_owned(),
        },
        Op::DeleteArticle { article: 1 },
    ] {
        world.apply(&op);
    }
    // Deleting article #1 touched nothing of photo #1's: the comment still shows it.
    let shown = world.comments().expect("the list");
    assert_eq!(shown[0].shown.as_deref(), Some("P"));
}

/// The space `properties.rs` draws from.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..6, 1..=MAX_ID, 0usize..3).prop_map(|(k, id, c)| op(k, id, c));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (ops, reason) =
        lab_kit::property::minimal_counterexample(&ops(), 256, |ops| no_orphans(broken::BLOG, ops))
            .expect("the broken blog must fail");
    let steps: Vec<String> = offered(broken::BLOG, &ops)
        .expect("a fresh database")
        .iter()
        .map(Op::describe)
        .collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({"ops": steps, "failure": reason})
    );
}
