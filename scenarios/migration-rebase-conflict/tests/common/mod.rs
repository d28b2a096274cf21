//! Helpers the engine's test files share: migration files in a temporary directory.

use std::fs;

use tempfile::TempDir;

/// A directory holding `files` as `(file name, text)`.
pub(crate) fn dir_with(files: &[(&str, &[u8])]) -> TempDir {
    let dir = tempfile::tempdir().expect("a temp dir");
    for (name, text) in files {
        fs::write(dir.path().join(name), text).expect("the file is written");
    }
    dir
}

/// A migration file's text.
pub(crate) fn file(name: &str, parents: &str, sql: &str) -> Vec<u8> {
    format!("-- name: {name}\n-- depends_on: {parents}\n{sql}\n").into_bytes()
}
