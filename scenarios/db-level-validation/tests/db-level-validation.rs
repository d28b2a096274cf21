//! Snapshots and verdicts of both variants on the seed story, what a connection without
//! the `REGEXP` function meets, and the broken table's shrunk counterexample (the checks
//! that grade a fix are in `properties.rs`).

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use db_level_validation::model::{Product, SKU_PATTERN, Write};
use db_level_validation::paths::{self, Outcome};
use db_level_validation::property::{ADDS, DISCOUNTS, MAX_WRITES, SKUS, keeps_the_rules, product};
use db_level_validation::{SCENARIO, broken, fixed};
use proptest::prelude::*;
use serde_json::json;

#[test]
fn broken_stores_what_every_path_but_the_form_sends() {
    let report = lab_kit::check!(SCENARIO, "broken");
    let o = &report.observations;
    assert_eq!(
        o["outcomes"],
        json!([
            "stored 1 row(s)",
            "refused: ValidationError: sku: Enter a valid value.",
            "stored 2 row(s)",
            "stored 1 row(s)",
            "updated 4 row(s)",
        ])
    );
    // ABC-1234 was valid until the sale; the import and the script brought the others.
    let skus: Vec<&str> = o["invalid_rows"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["sku"].as_str())
        .collect();
    assert_eq!(skus, ["ABC-1234", "bad sku", "QRS-0002"]);
}

#[test]
fn fixed_refuses_each_invalid_write_with_the_constraint_it_breaks() {
    let report = lab_kit::check!(SCENARIO, "fixed");
    let o = &report.observations;
    assert_eq!(
        o["outcomes"],
        json!([
            "stored 1 row(s)",
            "refused: ValidationError: sku: Enter a valid value.",
            "refused: IntegrityError: CHECK constraint failed: product_sku_format",
            "refused: IntegrityError: CHECK constraint failed: product_discount_range",
            "refused: IntegrityError: CHECK constraint failed: product_discount_range",
        ])
    );
    assert_eq!(o["rows"], json!([{"sku": "ABC-1234", "discount": 60}]));
}

#[test]
fn the_constraint_uses_the_validators_pattern() {
    assert!(fixed::SCHEMA.contains(&format!("REGEXP '{SKU_PATTERN}'")));
}

#[test]
fn a_connection_without_the_regexp_function_cannot_write_the_fixed_table() {
    let save = Write::Save {
        product: Product::new("ABC-1234", 10),
    };
    for schema in [fixed::SCHEMA, broken::SCHEMA] {
        let db = lab_kit::sqlite::TempDb::new().expect("a database file");
        // The app's connection: SQLite even refuses to create the table without REGEXP.
        let app = db.connect().expect("a connection");
        if schema == fixed::SCHEMA {
            let error = app.execute_batch(schema).expect_err("no REGEXP yet");
            assert!(
                error.to_string().contains("no such function: REGEXP"),
                "{error}"
            );
        }
        db_level_validation::regexp::register(&app).expect("REGEXP");
        app.execute_batch(schema).expect("the table");
        // The sqlite3 shell, another service, a migration tool: any connection that did
        // not register the function. It reads the table, and cannot write it.
        let other = db.connect().expect("a second connection");
        let count: i64 = other
            .query_row("SELECT COUNT(*) FROM app_product", [], |r| r.get(0))
            .expect("reads need no function");
        assert_eq!(count, 0);
        let got = paths::apply(&other, &save).map_err(|e| e.to_string());
        if schema == fixed::SCHEMA {
            let error = got.expect_err("the write needs REGEXP");
            assert!(error.starts_with("unknown function: REGEXP()"), "{error}");
        } else {
            assert_eq!(got, Ok(Outcome::Stored(1)));
        }
    }
}

/// The space `properties.rs` draws from.
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
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let writes = proptest::collection::vec(write(), 0..=MAX_WRITES);
    let (writes, reason) = lab_kit::property::minimal_counterexample(&writes, 256, |writes| {
        keeps_the_rules(broken::SCHEMA, writes)
    })
    .expect("the broken table must fail");
    // One write through a path that skips full_clean() is enough.
    assert_eq!(writes.len(), 1, "{writes:?}");
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({
            "writes": writes.iter().map(Write::describe).collect::<Vec<_>>(),
            "failure": reason,
        })
    );
}
