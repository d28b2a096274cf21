//! `lab grade DIR`: grades a copy of the candidate's exercise, never their files. The copy
//! is the exercise as the lab exports it now, with only the candidate's fix files taken
//! from DIR; every other file they changed, added or removed is listed and ignored. The
//! score counts the checks that depend on the fix, in a stable order.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use lab_kit::{Need, Scenario};

use super::export::export;
use super::manifest::{MANIFEST, Manifest, sha256, tree};
use super::sandbox::{Sandbox, Verdict};
use super::scorecard::{Check, Scorecard};

/// How a grading runs.
#[derive(Debug, Clone)]
pub struct GradeOptions {
    /// Where the graded copy and its build go. Gradings that share it compile the
    /// dependencies once; by default the lab's `target/grade`.
    pub work_dir: Option<PathBuf>,
    /// Where cargo builds, if not `work_dir`'s `target/`: gradings in separate work dirs
    /// that share it compile the registry dependencies once (cargo's lock on it lets
    /// one build at a time; test runs overlap).
    pub target_dir: Option<PathBuf>,
    /// Refuse to grade when no sandbox is available.
    pub require_sandbox: bool,
    /// The wall-clock limit of each test binary.
    pub time_limit: Duration,
}

impl Default for GradeOptions {
    fn default() -> Self {
        Self {
            work_dir: None,
            target_dir: None,
            require_sandbox: false,
            time_limit: Duration::from_secs(300),
        }
    }
}

/// Grades the exercise in `dir` without touching it.
pub fn grade(dir: &Path, options: &GradeOptions) -> anyhow::Result<Scorecard> {
    let manifest = Manifest::read(dir)?;
    let scenario = crate::find(&manifest.scenario)?;
    if !dir.join(scenario.id).is_dir() {
        anyhow::bail!(
            "{}'s manifest names the scenario {}, but {} has no {}/ crate: it was exported for \
             another scenario, or its files were moved",
            dir.display(),
            scenario.id,
            dir.display(),
            scenario.id
        );
    }
    let sandbox = Sandbox::detect();
    if options.require_sandbox && !sandbox.contains() {
        anyhow::bail!(
            "no sandbox is available here ({}); refusing to run the candidate's code (--require-sandbox)",
            sandbox.describe()
        );
    }
    let (graded, ignored) = differences(dir, &manifest)?;

    // The graded copy: the exercise as the lab writes it, plus the candidate's fix files.
    let work = options
        .work_dir
        .clone()
        .unwrap_or_else(|| crate::repo_root().join("target/grade"));
    let copy = work.join("copy");
    let fresh = work.join("fresh");
    if fresh.exists() {
        fs::remove_dir_all(&fresh).with_context(|| format!("cannot clear {}", fresh.display()))?;
    }
    export(scenario, &fresh, 0)?;
    for rel in &manifest.yours {
        let theirs = dir.join(rel);
        if theirs.is_file() {
            fs::copy(&theirs, fresh.join(rel)).with_context(|| format!("cannot copy {rel}"))?;
        }
    }
    sync(&fresh, &copy)?;
    fs::remove_dir_all(&fresh).with_context(|| format!("cannot clear {}", fresh.display()))?;
    let target = options
        .target_dir
        .clone()
        .unwrap_or_else(|| work.join("target"));
    let run = sandbox.cargo_test(scenario, &copy, &target, options.time_limit)?;
    let (checks, other) = split_checks(scenario, run.checks);
    let build_error = match run.verdict {
        Verdict::BuildFailed(errors) => Some(errors),
        _ => None,
    };
    Ok(Scorecard {
        id: scenario.id.to_owned(),
        checks,
        other,
        graded,
        ignored,
        build_error,
        containment: sandbox.describe(),
        stopped: run.stopped,
    })
}

/// Makes `to` hold exactly the files of `from`, rewriting only the files whose bytes
/// differ: an unchanged file keeps its modification time, so cargo does not rebuild what
/// did not change since the last grading in this work dir (lab-kit, above all).
fn sync(from: &Path, to: &Path) -> anyhow::Result<()> {
    let wanted = tree(from)?;
    if to.exists() {
        for rel in tree(to)? {
            if wanted.binary_search(&rel).is_err() {
                fs::remove_file(to.join(&rel)).with_context(|| format!("cannot remove {rel}"))?;
            }
        }
        remove_empty_dirs(to)?;
    }
    for rel in &wanted {
        let source = from.join(rel);
        let bytes = fs::read(&source).with_context(|| format!("cannot read {rel}"))?;
        let mode = fs::metadata(&source)?.permissions();
        let dest = to.join(rel);
        if fs::read(&dest).is_ok_and(|old| old == bytes) {
            // Same bytes: keep the file's time, but not a stale mode (an executable
            // script such as scripts/with-postgres must stay executable).
            if fs::metadata(&dest)?.permissions() != mode {
                fs::set_permissions(&dest, mode).with_context(|| format!("cannot chmod {rel}"))?;
            }
            continue;
        }
        if let Some(parent) = dest.parent() {
            fs::create_dir_all(parent).with_context(|| format!("cannot create {rel}"))?;
        }
        // `fs::copy` keeps the mode along with the bytes.
        fs::copy(&source, &dest).with_context(|| format!("cannot write {rel}"))?;
    }
    Ok(())
}

/// Removes the directories under `dir` that hold no file (a scenario graded before).
fn remove_empty_dirs(dir: &Path) -> anyhow::Result<bool> {
    let mut empty = true;
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let path = entry?.path();
        if path.is_dir() && path.file_name().is_some_and(|n| n != "target") {
            if remove_empty_dirs(&path)? {
                fs::remove_dir(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            } else {
                empty = false;
            }
        } else {
            empty = false;
        }
    }
    Ok(empty)
}

/// The candidate's fix files that differ from the export, and every other file that was
/// changed, added or removed.
fn differences(dir: &Path, manifest: &Manifest) -> anyhow::Result<(Vec<String>, Vec<String>)> {
    let mut graded = Vec::new();
    let mut ignored = Vec::new();
    for (rel, hash) in &manifest.files {
        let state = match fs::read(dir.join(rel)) {
            Err(_) => Some("removed"),
            Ok(bytes) if sha256(&bytes) != *hash => Some("changed"),
            Ok(_) => None,
        };
        if let Some(state) = state {
            let line = format!("{rel} ({state})");
            if manifest.yours.contains(rel) {
                graded.push(line);
            } else {
                ignored.push(line);
            }
        }
    }
    for rel in tree(dir)? {
        let generated = rel == MANIFEST || rel.starts_with(".git/") || rel == "Cargo.lock";
        if !generated && !manifest.files.contains_key(&rel) {
            ignored.push(format!("{rel} (added)"));
        }
    }
    Ok((graded, ignored))
}

/// Splits the test results: the fix-dependent checks (each fix variant's verdict and
/// every test of `tests/properties.rs`) in a stable order, and the rest.
fn split_checks(scenario: &Scenario, mut all: Vec<Check>) -> (Vec<Check>, Vec<Check>) {
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let broken: Vec<String> = scenario
        .variants
        .iter()
        .filter(|v| v.role == lab_kit::Role::Broken)
        .map(|v| format!("homework: {}_still_shows_the_pitfall", v.name))
        .collect();
    all.into_iter().partition(|c| !broken.contains(&c.name))
}

/// Whether grading `scenario` needs a PostgreSQL server.
pub(super) fn needs_postgres(scenario: &Scenario) -> bool {
    scenario
        .variants
        .iter()
        .any(|v| v.needs.contains(&Need::Postgres))
}
