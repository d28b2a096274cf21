//! The lab's own checks: snapshots and verdicts of every variant (real git, real SQLite),
//! the broken step's shrunk counterexample, what a renamed migration does, the migration
//! engine's commands, and its errors for bad migration files. (The checks that grade a fix
//! are in `properties.rs`.)

// What a fix must pass (it travels with the homework export as its own test file).
mod properties;

use std::fs;
use std::path::Path;

use lab_kit::Report;
use migration_rebase_conflict::engine::{self, Graph, MigrationError};
use migration_rebase_conflict::model::{A, B, INITIAL, PRICE, Spec};
use migration_rebase_conflict::property::{MAX_MIGRATIONS, lands_cleanly, numbered_graph};
use migration_rebase_conflict::{SCENARIO, broken};
use proptest::prelude::*;
use proptest::sample::Index;
use rusqlite::Connection;
use serde_json::json;
use tempfile::TempDir;

const LEAF_A: &str = "0003_a_item_color";
const LEAF_B: &str = "0003_b_item_stock";
/// Django's `CommandError` for a fork, up to the leaves.
const CONFLICT: &str =
    "Conflicting migrations detected; multiple leaf nodes in the migration graph";

fn strings(report: &Report, key: &str) -> Vec<String> {
    serde_json::from_value(report.observations[key].clone()).expect("a list of strings")
}

/// A directory holding `files` as `(file name, text)`.
fn dir_with(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("the file is written");
    }
    dir
}

/// A migration file's text.
fn file(name: &str, parents: &str, sql: &str) -> Vec<u8> {
    format!("-- name: {name}\n-- depends_on: {parents}\n{sql}\n").into_bytes()
}

/// The graph of `dir`, which must be valid (it may still have several leaves: that is
/// `check`'s business, not the loader's).
fn load(dir: &Path) -> Graph {
    Graph::load("shop", dir).expect("the graph loads")
}

/// Loads the graph of `files` and asserts that it is refused; returns the error.
#[track_caller]
fn refused(files: &[(&str, &[u8])]) -> MigrationError {
    let dir = dir_with(files);
    Graph::load("shop", dir.path()).expect_err("the graph must be refused")
}

fn schema(conn: &Connection) -> Vec<String> {
    let mut stmt = conn
        .prepare("SELECT type || ' ' || name FROM sqlite_master ORDER BY name")
        .unwrap();
    stmt.query_map([], |r| r.get(0))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

// The story's variants.

#[test]
fn broken_deploy_refuses_to_migrate_and_names_both_leaves() {
    let report = lab_kit::check!(SCENARIO, "broken");
    // Git saw nothing wrong: the rebase and both merges ran, b's tree holds both files.
    assert!(strings(&report, "b_files_after_rebase").contains(&format!("{LEAF_B}.sql")));
    assert_eq!(report.observations["b_merged"], true);
    assert_eq!(strings(&report, "main_leaves"), [LEAF_A, LEAF_B]);
    let error = report.observations["deploy_error"]
        .as_str()
        .expect("the deploy failed");
    assert!(error.starts_with(CONFLICT), "{error}");
    assert!(
        error.contains(&format!("({LEAF_A}, {LEAF_B} in shop)")),
        "{error}"
    );
    // Nothing half-applied: the check ran before the database was touched.
    assert_eq!(report.observations["deploy_statements"], json!([]));
    assert_eq!(
        report.observations["applied_before_deploy"],
        report.observations["applied_after_deploy"]
    );
    assert_eq!(
        report.observations["columns_before_deploy"],
        report.observations["columns_after_deploy"]
    );
    assert!(!strings(&report, "columns_after_deploy").contains(&"stock".to_owned()));
}

#[test]
fn fixed_merge_migration_lets_the_deploy_apply_both_columns() {
    let report = lab_kit::check!(SCENARIO, "fixed_merge_migration");
    let merge = "0004_merge_0003_a_item_color_0003_b_item_stock";
    assert_eq!(strings(&report, "main_leaves"), [merge]);
    assert_eq!(
        report.observations["deploy_applied"],
        json!([LEAF_B, merge])
    );
    let columns = strings(&report, "columns_after_deploy");
    assert_eq!(columns, ["id", "name", "price", "color", "stock"]);
}

#[test]
fn fixed_ci_guard_fails_on_the_rebased_branch_and_main_never_gets_the_conflict() {
    let report = lab_kit::check!(SCENARIO, "fixed_ci_guard");
    let pre_merge = report.observations["pre_merge"]
        .as_str()
        .expect("a decision");
    assert!(
        pre_merge.starts_with(&format!("refused: {CONFLICT}")),
        "{pre_merge}"
    );
    assert!(
        pre_merge.contains(&format!("({LEAF_A}, {LEAF_B} in shop)")),
        "{pre_merge}"
    );
    assert_eq!(report.observations["b_merged"], false);
    assert_eq!(strings(&report, "main_leaves"), [LEAF_A]);
    assert_eq!(report.observations["deploy_applied"], json!([]));
}

/// Random migration graphs, the same space as `properties.rs` draws from (see there).
fn graphs() -> impl Strategy<Value = Vec<Spec>> {
    let picks = proptest::collection::vec(
        proptest::collection::vec(any::<Index>(), 1..=2),
        MAX_MIGRATIONS - 1,
    );
    (picks, 1..=MAX_MIGRATIONS).prop_map(|(picks, len)| {
        let parents: Vec<Vec<usize>> = (0..len)
            .map(|i| match i {
                0 => Vec::new(),
                _ => picks[i - 1].iter().map(|p| p.index(i)).collect(),
            })
            .collect();
        numbered_graph(&parents)
    })
}

#[test]
fn broken_fails_the_property_with_a_minimal_counterexample() {
    let (specs, reason) = lab_kit::property::minimal_counterexample(&graphs(), 256, |specs| {
        lands_cleanly(broken::before_merge, specs)
    })
    .expect("the broken step must fail");
    // The smallest fork: a root and two children of it - the story's shape exactly.
    assert_eq!(specs.len(), 3, "{specs:?}");
    assert!(reason.contains(CONFLICT), "{reason}");
    let graph: Vec<String> = specs
        .iter()
        .map(|s| format!("{} <- [{}]", s.name, s.depends_on.join(", ")))
        .collect();
    insta::assert_yaml_snapshot!(
        "broken_counterexample",
        json!({ "migrations": graph, "failure": reason })
    );
}

// Renumbering instead of merging.

#[test]
fn a_renamed_migration_that_was_applied_runs_again_and_meets_its_own_column() {
    // A database (staging, a colleague's) applied B's migration under its first name.
    let dir = dir_with(&[
        ("0001_initial.sql", &file(INITIAL.name, "", INITIAL.sql)),
        (
            "0002_item_price.sql",
            &file(PRICE.name, PRICE.parent, PRICE.sql),
        ),
        ("0003_b_item_stock.sql", &file(B.name, B.parent, B.sql)),
    ]);
    let mut conn = lab_kit::sqlite::memory().unwrap();
    engine::migrate(&mut conn, &load(dir.path())).unwrap();
    conn.execute_batch("INSERT INTO shop_item (name, price, stock) VALUES ('lamp', 9, 7)")
        .unwrap();

    // B "fixes" the fork by renumbering: the same operation, now after A's migration.
    fs::remove_file(dir.path().join("0003_b_item_stock.sql")).unwrap();
    let renamed = "0004_b_item_stock";
    let files = [
        ("0003_a_item_color.sql", file(A.name, A.parent, A.sql)),
        ("0004_b_item_stock.sql", file(renamed, A.name, B.sql)),
    ];
    for (name, text) in &files {
        fs::write(dir.path().join(name), text).unwrap();
    }
    let error = engine::migrate(&mut conn, &load(dir.path())).unwrap_err();
    // This engine runs a plain ALTER TABLE, so SQLite refuses the column it already has
    // (Django's SQLite editor rebuilds the table instead; see the README).
    assert!(
        matches!(&error, MigrationError::Apply { migration, .. } if migration == renamed),
        "{error:?}"
    );
    assert_eq!(
        error.to_string(),
        "migration 0004_b_item_stock failed: duplicate column name: stock"
    );
    // The old name stays recorded, with no file; A's migration went through first.
    assert_eq!(
        engine::applied(&conn, "shop").unwrap(),
        [INITIAL.name, PRICE.name, B.name, A.name]
    );
    let stock: i64 = conn
        .query_row("SELECT stock FROM shop_item", [], |r| r.get(0))
        .unwrap();
    assert_eq!(stock, 7);
}

// The engine's commands.

#[test]
fn check_names_every_leaf_sorted_in_djangos_words() {
    let dir = dir_with(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("0002_z.sql", &file("0002_z", "0001_a", "")),
        ("0002_y.sql", &file("0002_y", "0001_a", "")),
        ("0002_x.sql", &file("0002_x", "0001_a", "")),
    ]);
    let graph = load(dir.path());
    assert_eq!(graph.leaves(), ["0002_x", "0002_y", "0002_z"]);
    assert_eq!(
        engine::check(&graph).unwrap_err().to_string(),
        "Conflicting migrations detected; multiple leaf nodes in the migration graph: \
         (0002_x, 0002_y, 0002_z in shop).\nTo fix them run 'python manage.py makemigrations --merge'"
    );
}

#[test]
fn migrate_refuses_a_conflict_before_touching_the_database() {
    let dir = dir_with(&[("0001_a.sql", &file("0001_a", "", "CREATE TABLE t (x);"))]);
    let mut conn = lab_kit::sqlite::memory().unwrap();
    let graph = load(dir.path());
    assert_eq!(engine::migrate(&mut conn, &graph).unwrap(), ["0001_a"]);
    let before = (schema(&conn), engine::applied(&conn, "shop").unwrap());

    fs::write(
        dir.path().join("0002_b.sql"),
        file("0002_b", "0001_a", "ALTER TABLE t ADD y;"),
    )
    .unwrap();
    fs::write(
        dir.path().join("0002_c.sql"),
        file("0002_c", "0001_a", "ALTER TABLE t ADD z;"),
    )
    .unwrap();
    let graph = load(dir.path());
    let error = engine::migrate(&mut conn, &graph).unwrap_err();
    assert!(
        matches!(&error, MigrationError::Conflict { leaves, .. } if leaves == &["0002_b", "0002_c"])
    );
    assert_eq!(
        (schema(&conn), engine::applied(&conn, "shop").unwrap()),
        before
    );
    assert_eq!(engine::columns(&conn, "t").unwrap(), ["x"]);
}

#[test]
fn migrate_applies_parents_first_each_once() {
    // File-name order and dependency order disagree on purpose.
    let dir = dir_with(&[
        (
            "a.sql",
            &file("0002_b", "0001_a", "INSERT INTO t SELECT count(*) FROM t;"),
        ),
        ("b.sql", &file("0001_a", "", "CREATE TABLE t (x);")),
    ]);
    let mut conn = lab_kit::sqlite::memory().unwrap();
    let graph = load(dir.path());
    assert_eq!(
        engine::migrate(&mut conn, &graph).unwrap(),
        ["0001_a", "0002_b"]
    );
    assert!(engine::migrate(&mut conn, &graph).unwrap().is_empty());
    assert_eq!(
        engine::applied(&conn, "shop").unwrap(),
        ["0001_a", "0002_b"]
    );
}

#[test]
fn a_failing_migration_is_rolled_back_and_not_recorded() {
    let dir = dir_with(&[
        ("0001_a.sql", &file("0001_a", "", "CREATE TABLE t (x);")),
        (
            "0002_b.sql",
            &file(
                "0002_b",
                "0001_a",
                "CREATE TABLE u (y);\nINSERT INTO nowhere VALUES (1);",
            ),
        ),
    ]);
    let mut conn = lab_kit::sqlite::memory().unwrap();
    let graph = load(dir.path());
    let error = engine::migrate(&mut conn, &graph).unwrap_err();
    assert!(
        error.to_string().starts_with("migration 0002_b failed: "),
        "{error}"
    );
    assert_eq!(engine::applied(&conn, "shop").unwrap(), ["0001_a"]);
    assert_eq!(engine::table_sql(&conn, "u").unwrap(), None);
}

#[test]
fn merge_joins_every_leaf_into_one_and_then_has_nothing_to_do() {
    let dir = dir_with(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("0002_b.sql", &file("0002_b", "0001_a", "")),
        ("0002_c.sql", &file("0002_c", "0001_a", "")),
    ]);
    let graph = load(dir.path());
    let merge = engine::merge(&graph, dir.path())
        .unwrap()
        .expect("two leaves to merge");
    assert_eq!(merge.name, "0003_merge_0002_b_0002_c");
    assert_eq!(merge.depends_on, ["0002_b", "0002_c"]);
    assert_eq!(merge.sql.trim(), "", "a merge migration has no operations");
    assert!(merge.path.is_file());

    let graph = load(dir.path());
    assert_eq!(graph.leaves(), [merge.name.as_str()]);
    engine::check(&graph).unwrap();
    assert!(engine::merge(&graph, dir.path()).unwrap().is_none());
}

#[test]
fn a_merge_of_long_names_drops_them_from_its_own_name() {
    let long_b = "0002_add_the_warehouse_stock_count";
    let long_c = "0007_add_the_display_colour_field";
    let dir = dir_with(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("b.sql", &file(long_b, "0001_a", "")),
        ("c.sql", &file(long_c, "0001_a", "")),
    ]);
    let graph = load(dir.path());
    let merge = engine::merge(&graph, dir.path()).unwrap().unwrap();
    assert_eq!(merge.name, "0008_merge");
}

// Bad migration files: each kind gets its own typed error, naming what to fix.

#[test]
fn a_cycle_is_refused_with_its_path() {
    let error = refused(&[
        ("0001_a.sql", &file("0001_a", "0003_c", "")),
        ("0002_b.sql", &file("0002_b", "0001_a", "")),
        ("0003_c.sql", &file("0003_c", "0002_b", "")),
    ]);
    assert!(matches!(&error, MigrationError::Cycle { path } if path.len() == 4));
    assert_eq!(
        error.to_string(),
        "circular dependency: 0001_a -> 0003_c -> 0002_b -> 0001_a (each depends on the next)"
    );
}

#[test]
fn a_migration_that_depends_on_itself_is_a_cycle() {
    let error = refused(&[("0001_a.sql", &file("0001_a", "0001_a", ""))]);
    assert_eq!(
        error.to_string(),
        "circular dependency: 0001_a -> 0001_a (each depends on the next)"
    );
}

#[test]
fn a_missing_parent_is_refused_naming_both() {
    let error = refused(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("0003_c.sql", &file("0003_c", "0002_b", "")),
    ]);
    assert_eq!(
        error.to_string(),
        "migration 0003_c depends on 0002_b, which does not exist"
    );
}

#[test]
fn a_duplicate_name_is_refused_naming_both_files() {
    // A copied file whose header was not edited.
    let error = refused(&[
        ("0002_b.sql", &file("0002_b", "", "")),
        ("0003_c.sql", &file("0002_b", "", "")),
    ]);
    let MigrationError::DuplicateName {
        name,
        first,
        second,
    } = &error
    else {
        panic!("{error:?}");
    };
    assert_eq!(name, "0002_b");
    assert!(
        first.ends_with("0002_b.sql") && second.ends_with("0003_c.sql"),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("duplicate migration name 0002_b: declared in ")
    );
}

#[test]
fn an_unreadable_file_is_refused_with_its_path() {
    let error = refused(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("0002_b.sql", b"-- name: 0002_b\n\xff\xfe not utf-8"),
    ]);
    let MigrationError::Unreadable { path, .. } = &error else {
        panic!("{error:?}");
    };
    assert!(path.ends_with("0002_b.sql"), "{error}");
    let message = error.to_string();
    assert!(
        message.starts_with("cannot read migration file "),
        "{message}"
    );
    assert!(message.contains("0002_b.sql: "), "{message}");
}

#[test]
fn a_missing_directory_is_unreadable_too() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("nowhere");
    let error = Graph::load("shop", &missing).unwrap_err();
    assert!(matches!(&error, MigrationError::Unreadable { path, .. } if path == &missing));
}

#[test]
fn a_file_without_a_name_is_malformed() {
    let error = refused(&[("0001_a.sql", b"-- depends_on:\nCREATE TABLE t (x);\n")]);
    assert!(
        error
            .to_string()
            .ends_with("0001_a.sql: no `-- name:` header"),
        "{error}"
    );
    let error = refused(&[("0001_a.sql", b"-- name: 0001 a\n")]);
    assert!(
        error
            .to_string()
            .ends_with("`0001 a` is not a migration name"),
        "{error}"
    );
}
