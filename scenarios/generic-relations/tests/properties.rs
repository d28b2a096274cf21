//! What a fix must pass: the story, and every generated sequence of articles, photos,
//! comments and deletes (a fixed seed, so the same sequences every run): after each
//! operation the comment list shows exactly the comments whose article or photo exists -
//! none pointing at nothing, none lost. A copy of the broken blog fails each of these.
//! This file travels with the homework export and grades it.

use generic_relations::fixed;
use generic_relations::model::Blog;
use generic_relations::property::{MAX_ID, MAX_OPS, no_orphans, offered, op};
use generic_relations::run::story;
use generic_relations::world::Op;
use proptest::prelude::*;

/// Up to twelve operations, each naming an id up to three and a title, caption or
/// prefix.
fn ops() -> impl Strategy<Value = Vec<Op>> {
    let one = (0u8..6, 1..=MAX_ID, 0usize..3).prop_map(|(k, id, c)| op(k, id, c));
    proptest::collection::vec(one, 0..=MAX_OPS)
}

/// Asserts that `blog` keeps the property on the story and on 256 generated sequences,
/// failing with the shrunk sequence that breaks it.
#[track_caller]
fn check(blog: Blog) {
    assert_eq!(no_orphans(blog, &story()), Ok(()), "the story");
    let found = lab_kit::property::minimal_counterexample(&ops(), 256, |ops| no_orphans(blog, ops));
    if let Some((ops, reason)) = found {
        let steps: Vec<String> = offered(blog, &ops)
            .unwrap_or_default()
            .iter()
            .map(Op::describe)
            .collect();
        panic!("{reason}\nafter: {steps:#?}");
    }
}

#[test]
fn fixed_generic_relation_leaves_no_orphan_after_any_sequence() {
    check(fixed::generic_relation::BLOG);
}

#[test]
fn fixed_one_key_per_type_leaves_no_orphan_after_any_sequence() {
    check(fixed::one_key_per_type::BLOG);
}
