//! Comments attached by `(content_type, object_id)` - Django's generic foreign key - have
//! no foreign key behind them: deleting an article or a photo leaves its comments
//! pointing at a row that is gone, and the database can neither refuse that nor join
//! through it. The fixes: a `GenericRelation` on each target, so the ORM deletes the
//! comments too (ORM deletes only), or one real foreign key per target type with a check
//! that exactly one is set (the database enforces it for everyone).
//!
//! Run with:
//! - `cargo test -p generic-relations`
//! - `cargo run -- run generic-relations`

pub mod broken;
pub mod fixed;
pub mod model;
pub mod property;
pub mod run;
pub mod world;

use lab_kit::{Difficulty, Role, Scenario, Tag, Twin, Variant};

/// The descriptor the `lab` CLI reads.
pub static SCENARIO: Scenario = Scenario {
    id: "generic-relations",
    title: "Deleting a target leaves its generic-relation comments orphaned",
    question: "What goes wrong when comments attach to any model through a generic foreign key, and what keeps a deleted article's comments from being left behind?",
    tags: &[Tag::Sqlite, Tag::Orm],
    difficulty: Difficulty::Intermediate,
    readme: include_str!("../README.md"),
    variants: &[
        Variant {
            name: "broken",
            role: Role::Broken,
            needs: &[],
            run: || run::run(broken::BLOG),
        },
        Variant {
            name: "fixed_generic_relation",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::generic_relation::BLOG),
        },
        Variant {
            name: "fixed_one_key_per_type",
            role: Role::Fix,
            needs: &[],
            run: || run::run(fixed::one_key_per_type::BLOG),
        },
    ],
    bench: None,
    twin: Twin::Facts(&[
        "schema",
        "sql",
        "comments",
        "orphans",
        "list_queries",
        "raw_delete",
        "dangling_comment",
    ]),
};
