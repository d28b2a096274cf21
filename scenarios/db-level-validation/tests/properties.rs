//! What a fix must pass: on the seed story and on every generated sequence of writes
//! through the form, `save()`, `bulk_create()` and `update()` (a fixed seed, so the same
//! writes every run), the table holds no row the validators refuse, and every valid write
//! is stored. A copy of the broken table fails it. This file travels with the homework
//! export and grades it.

use db_level_validation::fixed;
use db_level_validation::model::{self, Write};
use db_level_validation::property::{ADDS, DISCOUNTS, MAX_WRITES, SKUS, keeps_the_rules, product};
use proptest::prelude::*;

/// One write through any path, with values drawn from the property's short lists.
fn write() -> impl Strategy<Value = Write> {
    let one = (0..SKUS.len(), 0..DISCOUNTS.len());
    prop_oneof![
        one.clone().prop_map(|p| Write::Save {
            product: product(p)
        }),
        proptest::collection::vec(one.clone(), 1..=3).prop_map(|ps| Write::BulkCreate {
            products: ps.into_iter().map(product).collect(),
        }),
        (0..ADDS.len()).prop_map(|i| Write::Update { add: ADDS[i] }),
        one.prop_map(|p| Write::Form {
            product: product(p)
        }),
    ]
}

#[test]
fn fixed_never_holds_an_invalid_row_whatever_the_writes() {
    assert_eq!(
        keeps_the_rules(fixed::SCHEMA, &model::seed()),
        Ok(()),
        "the seed story"
    );
    let writes = proptest::collection::vec(write(), 0..=MAX_WRITES);
    let found = lab_kit::property::minimal_counterexample(&writes, 256, |writes| {
        keeps_the_rules(fixed::SCHEMA, writes)
    });
    if let Some((writes, reason)) = found {
        let lines: Vec<String> = writes.iter().map(Write::describe).collect();
        panic!("{reason}\nafter: {lines:#?}");
    }
}
