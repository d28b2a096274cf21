//! `lab homework <id> --out DIR`: the exercise a candidate gets. A two-crate workspace
//! (lab-kit's sources and the scenario) that builds with nothing but crates.io, whose
//! `cargo run` prints the reports and whose `cargo test` runs the grading checks; neutral
//! names everywhere; a manifest of what was handed out, so grading can tell what changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use lab_kit::{Need, Scenario};

use super::leaks::find_answer_leaks;
use super::manifest::{MANIFEST, Manifest, read, sha256, tree};
use super::names::Names;
use super::rewrite::{
    exercise_manifest, neutral_lib, set_executable, without_tests, without_unit_tests,
    workspace_manifest,
};
use super::starter::{neutral_broken, starter_from};
use super::task::{main_rs, task_readme, verdict_tests};
use crate::repo_root;

/// Writes the exercise for `scenario` into `out` (which must not exist, or be an empty
/// directory), with hints 1..=`hints` in its README. The exercise is assembled beside
/// `out` and moved into place only once it passed the leak check: a refused export
/// leaves nothing behind.
pub fn export(scenario: &Scenario, out: &Path, hints: usize) -> anyhow::Result<Manifest> {
    if out.is_file() {
        bail!("{} is a file; choose a new directory", out.display());
    }
    if out.is_dir()
        && fs::read_dir(out)
            .with_context(|| format!("cannot read {}", out.display()))?
            .next()
            .is_some()
    {
        bail!("{} is not empty; choose a new directory", out.display());
    }
    let parent = match out.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let staging = tempfile::Builder::new()
        .prefix(".lab-homework-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot write in {}", parent.display()))?;
    let manifest = write(scenario, staging.path(), hints)?;
    let leaks = find_answer_leaks(scenario, staging.path())?;
    if !leaks.is_empty() {
        bail!(
            "refusing to hand out {}: the answer leaked into the exercise:\n  {}",
            scenario.id,
            leaks.join("\n  ")
        );
    }
    if out.is_dir() {
        fs::remove_dir(out).with_context(|| format!("cannot replace {}", out.display()))?;
    }
    let staged = staging.keep();
    fs::rename(&staged, out).with_context(|| format!("cannot create {}", out.display()))?;
    Ok(manifest)
}

/// Writes every file of the exercise into `dir` and returns its manifest.
fn write(scenario: &Scenario, dir: &Path, hints: usize) -> anyhow::Result<Manifest> {
    let id = scenario.id;
    let root = repo_root();
    let lab = root.join("scenarios").join(id);
    if !lab.join("src/broken.rs").is_file() {
        bail!(
            "the lab's sources are not at {} any more; run the lab from its repository",
            root.display()
        );
    }
    let names = Names::of(scenario);
    let mut files = Files::new(dir);

    files.put("Cargo.toml", &workspace_manifest(&root, id)?)?;
    files.put("Cargo.lock", &read(&root.join("Cargo.lock"))?)?;
    files.put(".gitignore", "/target\n")?;
    let task = task_readme(scenario, &names, hints)?;
    files.put("README.md", &task)?;
    if scenario
        .variants
        .iter()
        .any(|v| v.needs.contains(&Need::Postgres))
    {
        files.put(
            "scripts/with-postgres",
            &read(&root.join("scripts/with-postgres"))?,
        )?;
        set_executable(&dir.join("scripts/with-postgres"))?;
    }

    // lab-kit: its sources and a manifest without its own tests.
    files.put(
        "lab-kit/Cargo.toml",
        &without_tests(&read(&root.join("crates/lab-kit/Cargo.toml"))?),
    )?;
    for rel in tree(&root.join("crates/lab-kit/src"))? {
        if rel == "tests.rs" || rel.ends_with("/tests.rs") {
            continue;
        }
        let text = without_unit_tests(&read(&root.join("crates/lab-kit/src").join(&rel))?);
        files.put(&format!("lab-kit/src/{rel}"), &text)?;
    }

    // The scenario crate: its sources with neutral names, the broken code without its
    // explanations, a starter per fix, the grading tests, and a `cargo run` entry point.
    files.put(
        &format!("{id}/Cargo.toml"),
        &exercise_manifest(&read(&lab.join("Cargo.toml"))?),
    )?;
    files.put(&format!("{id}/README.md"), &task)?;
    let mut yours = Vec::new();
    for rel in tree(&lab.join("src"))? {
        let text = read(&lab.join("src").join(&rel))?;
        let dest = match rel.as_str() {
            "lib.rs" => neutral_lib(&text, scenario),
            "broken.rs" => neutral_broken(&text),
            "bench.rs" | "main.rs" => continue,
            "fixed.rs" if lab.join("src/fixed").is_dir() => text,
            r if r == "fixed.rs" || r.starts_with("fixed/") => continue,
            _ => text,
        };
        files.put(
            &format!("{id}/src/{}", names.apply(&rel)),
            &names.apply(&dest),
        )?;
    }
    let starter = starter_from(&read(&lab.join("src/broken.rs"))?);
    if names.modules.is_empty() {
        let path = format!("{id}/src/fixed.rs");
        files.put(&path, &starter)?;
        yours.push(path);
    } else {
        let mut decl = String::from(
            "//! Your fixes: one module per fix, each with broken.rs's public items.\n\n",
        );
        for (_, neutral) in &names.modules {
            decl.push_str(&format!("pub mod {neutral};\n"));
            let path = format!("{id}/src/fixed/{neutral}.rs");
            files.put(&path, &starter)?;
            yours.push(path);
        }
        files.put(&format!("{id}/src/fixed.rs"), &decl)?;
    }
    files.put(&format!("{id}/src/main.rs"), &main_rs(id))?;
    files.put(
        &format!("{id}/tests/homework.rs"),
        &verdict_tests(scenario, &names),
    )?;
    let properties = lab.join("tests/properties.rs");
    if properties.is_file() {
        files.put(
            &format!("{id}/tests/properties.rs"),
            &names.apply(&read(&properties)?),
        )?;
    }
    let manifest = Manifest {
        scenario: id.to_owned(),
        yours,
        files: files.hashes,
    };
    fs::write(dir.join(MANIFEST), serde_json::to_string_pretty(&manifest)?)?;
    Ok(manifest)
}

/// Files written under one root, with their hashes for the manifest.
struct Files<'a> {
    root: &'a Path,
    hashes: BTreeMap<String, String>,
}

impl<'a> Files<'a> {
    fn new(root: &'a Path) -> Self {
        Self {
            root,
            hashes: BTreeMap::new(),
        }
    }

    fn put(&mut self, rel: &str, text: &str) -> anyhow::Result<()> {
        let path = self.root.join(rel);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        self.hashes.insert(rel.to_owned(), sha256(text.as_bytes()));
        Ok(())
    }
}
