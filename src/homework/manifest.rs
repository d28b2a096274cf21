//! What was handed out: the manifest of an exported exercise (its scenario, the
//! candidate's files and the SHA-256 of every file), and the file helpers export and
//! grading share.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use anyhow::Context;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest file at the root of an exercise.
pub const MANIFEST: &str = ".lab-homework";

/// What was handed out: the scenario, the files that are the candidate's to change, and
/// the SHA-256 of every file as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub scenario: String,
    /// Paths (relative to the exercise, `/`-separated) the candidate's answer lives in.
    pub yours: Vec<String>,
    /// Every exported file and its SHA-256, hex.
    pub files: BTreeMap<String, String>,
}

impl Manifest {
    /// Reads the manifest of the exercise in `dir`.
    pub fn read(dir: &Path) -> anyhow::Result<Self> {
        let path = dir.join(MANIFEST);
        let text = fs::read_to_string(&path).with_context(|| {
            format!(
                "{} is not an exported exercise (no {MANIFEST})",
                dir.display()
            )
        })?;
        serde_json::from_str(&text).with_context(|| {
            format!(
                "{} is not a manifest this lab wrote; export the exercise again",
                path.display()
            )
        })
    }
}

/// The SHA-256 of `bytes`, hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(super) fn read(path: &Path) -> anyhow::Result<String> {
    fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

/// Every file under `dir`, relative and `/`-separated, sorted.
pub fn tree(dir: &Path) -> anyhow::Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                walk(base, &path, out)?;
            } else {
                let rel = path.strip_prefix(base).expect("under base");
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out).with_context(|| format!("cannot read {}", dir.display()))?;
    out.sort();
    Ok(out)
}
