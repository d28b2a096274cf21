//! `lab homework <id> --out DIR`: the exercise a candidate gets. A two-crate workspace
//! (lab-kit's sources and the scenario) that builds with nothing but crates.io, whose
//! `cargo run` prints the reports and whose `cargo test` runs the grading checks; neutral
//! names everywhere; a manifest of what was handed out, so grading can tell what changed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use lab_kit::{Need, Scenario};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::leaks::find_answer_leaks;
use super::names::Names;
use super::starter::{neutral_broken, starter_from};
use crate::{catalogue, repo_root};

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
    files.put(&format!("{id}/Cargo.toml"), &read(&lab.join("Cargo.toml"))?)?;
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

/// The SHA-256 of `bytes`, hex.
pub fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn read(path: &Path) -> anyhow::Result<String> {
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

#[cfg(unix)]
fn set_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
fn set_executable(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// The scenario's `lib.rs` as an exercise shows it: a neutral header, no benchmark, the
/// question as its title.
fn neutral_lib(lib: &str, scenario: &Scenario) -> String {
    let mut out = format!(
        "//! Exercise: {}. README.md has the question; `cargo run` prints every variant's\n\
         //! report and `cargo test` grades your fix.\n",
        scenario.id
    );
    let body = lib
        .lines()
        .skip_while(|l| l.trim_start().starts_with("//!"))
        .filter(|l| !matches!(l.trim(), "pub mod bench;" | "mod bench;"))
        .collect::<Vec<_>>()
        .join("\n");
    let body = body.replace("bench: Some(bench::run),", "bench: None,");
    out.push_str(&replace_string_field(&body, "title", scenario.question));
    out.push('\n');
    out
}

/// `text` with the string literal of `field: "..."` replaced by `value`.
fn replace_string_field(text: &str, field: &str, value: &str) -> String {
    let key = format!("{field}: \"");
    let Some(start) = text.find(&key).map(|i| i + key.len()) else {
        return text.to_owned();
    };
    let bytes = text.as_bytes();
    let mut end = start;
    while end < bytes.len() && !(bytes[end] == b'"' && bytes[end - 1] != b'\\') {
        end += 1;
    }
    format!(
        "{}{}{}",
        &text[..start],
        value.replace('"', "\\\""),
        &text[end..]
    )
}

/// A lab-kit source without its `#[cfg(test)] mod tests` (last in the file, by
/// convention): lab-kit's own tests stay in the lab.
fn without_unit_tests(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut i = 0;
    while i < lines.len() {
        let test_module = lines[i].trim() == "#[cfg(test)]"
            && lines.get(i + 1).is_some_and(|l| l.starts_with("mod tests"));
        if test_module && lines[i + 1].trim_end().ends_with(';') {
            // `mod tests;`: its file is left out; skip the declaration.
            i += 2;
            continue;
        }
        if test_module {
            break;
        }
        out.push(lines[i]);
        i += 1;
    }
    let mut text = out.join("\n").trim_end().to_owned();
    text.push('\n');
    text
}

/// `lab-kit`'s manifest without its test targets and dev-dependencies (its tests stay in
/// the lab).
fn without_tests(manifest: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            skip = line == "[[test]]" || line == "[dev-dependencies]";
        }
        if !skip {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// The exercise's workspace manifest: the lab's package metadata, dependency versions,
/// lints and profiles, with lab-kit as a sibling path and only the scenario as a default
/// member (so `cargo test` and `cargo run` mean the exercise, not lab-kit).
fn workspace_manifest(root: &Path, id: &str) -> anyhow::Result<String> {
    let manifest = read(&root.join("Cargo.toml"))?;
    let mut out = format!(
        "[workspace]\nmembers = [\"lab-kit\", \"{id}\"]\ndefault-members = [\"{id}\"]\nresolver = \"3\"\n"
    );
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[workspace.") || line.starts_with("[profile.");
            if keep {
                out.push('\n');
            }
        }
        if !keep || line.contains("path = \"scenarios/") {
            continue;
        }
        if line.starts_with("lab-kit =") {
            out.push_str("lab-kit = { path = \"lab-kit\" }\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

fn main_rs(id: &str) -> String {
    format!(
        "//! `cargo run`: every variant of the exercise, run on your current code: its verdict,\n\
         //! symptom and transcript, as the lab prints them.\n\n\
         fn main() -> std::process::ExitCode {{\n\
         \x20   lab_kit::testing::print_reports(&{}::SCENARIO, &mut std::io::stdout())\n\
         }}\n",
        id.replace('-', "_")
    )
}

/// The generated grading tests: each variant's verdict, by its role.
fn verdict_tests(scenario: &Scenario, names: &Names) -> String {
    let mut text = format!(
        "//! Grades the exercise by behaviour: the broken variant still shows the pitfall and\n\
         //! every fix does not. Generated by the lab; the grader uses its own copy.\n\n\
         use {}::SCENARIO;\n",
        scenario.id.replace('-', "_")
    );
    for variant in scenario.variants {
        let name = names.apply(variant.name);
        let (verb, ignore) = match variant.role {
            lab_kit::Role::Broken => ("still_shows_the_pitfall", ""),
            lab_kit::Role::Fix => ("does_not_show_the_pitfall", ""),
        };
        let ignore = if variant.needs.contains(&Need::Postgres) {
            "#[ignore = \"needs PostgreSQL: scripts/with-postgres cargo test -- --include-ignored\"]\n"
        } else {
            ignore
        };
        text.push_str(&format!(
            "\n#[test]\n{ignore}fn {name}_{verb}() {{\n    lab_kit::testing::verdict(&SCENARIO, \"{name}\");\n}}\n"
        ));
    }
    text
}

/// The task in the user's words: the question and the symptom, what to change, how to
/// run it, what to hand back - never the fix.
fn task_readme(scenario: &Scenario, names: &Names, hints: usize) -> anyhow::Result<String> {
    let section = |heading: &str| -> String {
        let Some(start) = scenario.readme.find(heading) else {
            return String::new();
        };
        let body = &scenario.readme[start + heading.len()..];
        let end = body.find("\n## ").unwrap_or(body.len());
        body[..end].trim().to_owned()
    };
    let id = scenario.id;
    let yours: Vec<String> = if names.modules.is_empty() {
        vec![format!("`{id}/src/fixed.rs`")]
    } else {
        names
            .modules
            .iter()
            .map(|(_, n)| format!("`{id}/src/fixed/{n}.rs`"))
            .collect()
    };
    let how_many = if yours.len() == 1 {
        "Your fix goes in ".to_owned()
    } else {
        format!(
            "There are {} different honest fixes; each goes in its own file: ",
            yours.len()
        )
    };
    let postgres = scenario
        .variants
        .iter()
        .any(|v| v.needs.contains(&Need::Postgres));
    let mut text = format!(
        "# Exercise: {id}\n\n## The question\n\n{question}\n\n## The symptom\n\n{symptom}\n\n\
         ## What to change\n\n\
         `{id}/src/broken.rs` is the code as it runs today. {how_many}{files}. Each starts as a\n\
         copy of `broken.rs`, with `// TODO: make this right.` where the broken code goes wrong.\n\
         Keep their public items (names and signatures): the tests call them. Only these files\n\
         are graded; the grader puts every other file back as it was exported.\n\n\
         ## How to run it\n\n\
         ```\n\
         cargo run     # every variant's report on your current code: verdict, symptom, transcript\n\
         cargo test    # the grading checks: tests/homework.rs and tests/properties.rs\n\
         ```\n\n\
         The first build compiles the dependencies (a few minutes on two cores); after that a\n\
         change is checked in seconds.\n{pg}\n\
         ## What to hand back\n\n\
         The file(s) above, or the whole directory: only those files are graded.\n",
        question = section("## The question"),
        symptom = section("## The symptom"),
        files = yours.join(", "),
        pg = if postgres {
            "\nSome variants need PostgreSQL: `scripts/with-postgres cargo test -- --include-ignored`\n\
             starts a throwaway server (the PostgreSQL 15 server binaries must be installed) and\n\
             runs every test against it; without it, `cargo test` shows those tests as ignored.\n"
        } else {
            ""
        },
    );
    if hints > 0 {
        let all = catalogue::hints(scenario)?;
        if hints > all.len() {
            bail!(
                "{id} has hints 1 to {}; --hints {hints} asks for more",
                all.len()
            );
        }
        text.push_str("\n## Hints\n");
        for (i, hint) in all.iter().take(hints).enumerate() {
            text.push_str(&format!("\n### Hint {}\n\n{}\n", i + 1, names.apply(hint)));
        }
    }
    Ok(text)
}
