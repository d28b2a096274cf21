//! Bad migration files: every kind gets its own typed error, with the names and paths a
//! developer needs to fix it.

mod common;

use common::{dir_with, file};
use migration_rebase_conflict::engine::{Graph, MigrationError};

/// Loads the graph of `files` and asserts that it fails; returns the error.
#[track_caller]
fn check(files: &[(&str, &[u8])]) -> MigrationError {
    let dir = dir_with(files);
    Graph::load("shop", dir.path()).expect_err("the graph must be refused")
}

#[test]
fn a_cycle_is_refused_with_its_path() {
    let error = check(&[
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
    let error = check(&[("0001_a.sql", &file("0001_a", "0001_a", ""))]);
    assert_eq!(
        error.to_string(),
        "circular dependency: 0001_a -> 0001_a (each depends on the next)"
    );
}

#[test]
fn a_missing_parent_is_refused_naming_both() {
    let error = check(&[
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
    let error = check(&[
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
    let error = check(&[
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
    let error = check(&[("0001_a.sql", b"-- depends_on:\nCREATE TABLE t (x);\n")]);
    assert!(
        error
            .to_string()
            .ends_with("0001_a.sql: no `-- name:` header"),
        "{error}"
    );
    let error = check(&[("0001_a.sql", b"-- name: 0001 a\n")]);
    assert!(
        error
            .to_string()
            .ends_with("`0001 a` is not a migration name"),
        "{error}"
    );
}
