//! The migration engine's commands: `check` and `migrate` behave like Django's, and
//! `merge` writes what `makemigrations --merge` writes.

mod common;

use std::fs;
use std::path::Path;

use common::{dir_with, file};
use migration_rebase_conflict::engine::{self, Graph, MigrationError};
use rusqlite::Connection;

/// Loads the graph of `dir` and asserts that it is valid (it may still have several
/// leaves: that is `check`'s business, not the loader's).
#[track_caller]
fn check(dir: &Path) -> Graph {
    Graph::load("shop", dir).expect("the graph loads")
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

#[test]
fn check_names_every_leaf_sorted_in_djangos_words() {
    let dir = dir_with(&[
        ("0001_a.sql", &file("0001_a", "", "")),
        ("0002_z.sql", &file("0002_z", "0001_a", "")),
        ("0002_y.sql", &file("0002_y", "0001_a", "")),
        ("0002_x.sql", &file("0002_x", "0001_a", "")),
    ]);
    let graph = check(dir.path());
    assert_eq!(graph.leaves(), ["0002_x", "0002_y", "0002_z"]);
    assert_eq!(
        engine::check(&graph).unwrap_err().to_string(),
        "conflicting migrations detected; multiple leaf nodes in the migration graph: \
         (0002_x, 0002_y, 0002_z in shop); to fix them run 'makemigrations --merge'"
    );
}

#[test]
fn migrate_refuses_a_conflict_before_touching_the_database() {
    let dir = dir_with(&[("0001_a.sql", &file("0001_a", "", "CREATE TABLE t (x);"))]);
    let mut conn = lab_kit::sqlite::memory().unwrap();
    let graph = check(dir.path());
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
    let graph = check(dir.path());
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
    let graph = check(dir.path());
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
    let graph = check(dir.path());
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
    let graph = check(dir.path());
    let merge = engine::merge(&graph, dir.path())
        .unwrap()
        .expect("two leaves to merge");
    assert_eq!(merge.name, "0003_merge_0002_b_0002_c");
    assert_eq!(merge.depends_on, ["0002_b", "0002_c"]);
    assert_eq!(merge.sql.trim(), "", "a merge migration has no operations");
    assert!(merge.path.is_file());

    let graph = check(dir.path());
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
    let graph = check(dir.path());
    let merge = engine::merge(&graph, dir.path()).unwrap().unwrap();
    assert_eq!(merge.name, "0008_merge");
}
