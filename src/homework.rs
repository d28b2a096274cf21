//! `lab homework` and `lab grade`: a scenario as a standalone exercise (the broken code,
//! the tests that grade a fix, no answer), and the grader that runs the lab's own tests
//! against a candidate's fixed variant.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, bail};
use lab_kit::{Role, Scenario, Table};

/// The file that marks a directory as an exported exercise and names its scenario.
pub const MARKER: &str = ".lab-homework";

/// The lab's own repository: the sources the exercise is made from.
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn scenario_dir(id: &str) -> anyhow::Result<PathBuf> {
    let dir = repo_root().join("scenarios").join(id);
    if !dir.join("src/broken.rs").is_file() {
        bail!(
            "the lab's sources are not at {} any more; run `lab` from its repository",
            repo_root().display()
        );
    }
    Ok(dir)
}

/// The crate's name as Rust sees it (`double_counted_annotations`).
fn crate_ident(id: &str) -> String {
    id.replace('-', "_")
}

/// Writes the exercise for `scenario` into `out`, which must not exist or be empty.
pub fn export(scenario: &Scenario, out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        let empty = out.is_dir()
            && fs::read_dir(out)
                .with_context(|| format!("cannot read {}", out.display()))?
                .next()
                .is_none();
        if !empty {
            bail!(
                "{} exists and is not empty; choose a new directory",
                out.display()
            );
        }
    }
    let id = scenario.id;
    let src = scenario_dir(id)?;
    let root = repo_root();

    fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    fs::write(out.join("Cargo.toml"), workspace_manifest(&root, id)?)?;
    fs::copy(root.join("Cargo.lock"), out.join("Cargo.lock")).context("copying Cargo.lock")?;
    fs::write(out.join(".gitignore"), "/target\n")?;
    fs::write(out.join(MARKER), format!("{id}\n"))?;
    copy_tree(&root.join("crates/lab-kit"), &out.join("lab-kit"), &|_| {
        true
    })?;

    if scenario.tags.contains(&lab_kit::Tag::Postgres) {
        // Grading needs a server: the script that starts a throwaway one travels along.
        fs::create_dir_all(out.join("scripts"))?;
        let script = out.join("scripts/with-postgres");
        fs::copy(root.join("scripts/with-postgres"), &script).context("copying with-postgres")?;
    }
    let dest = out.join(id);
    sync_lab_files(scenario, &src, &dest)?;
    write_starter(&src, &dest)?;
    fs::write(dest.join("README.md"), task_readme(scenario))?;

    let leaks = find_answer_leaks(out)?;
    if !leaks.is_empty() {
        // The exercise is useless with the answer inside: remove nothing silently, say it.
        bail!(
            "refusing to hand out {}: the answer leaked into {}",
            out.display(),
            leaks.join(", ")
        );
    }
    Ok(())
}

/// Copies (or, when grading, restores) everything of the scenario crate except its
/// answer: the fixed sources, the fixed snapshots, the lab's own snapshot test, the
/// README (replaced by the task), the hints and the rubric.
fn sync_lab_files(scenario: &Scenario, src: &Path, dest: &Path) -> anyhow::Result<()> {
    // The lab's own snapshot tests: `tests/<id>.rs` and `tests/<id>-<more>.rs`, with their
    // snapshots `<id_>__*.snap` and `<id_>_<more>__*.snap` (insta names them after the file).
    let own_test = format!("tests/{}", scenario.id);
    let own_snapshots = format!("tests/snapshots/{}_", crate_ident(scenario.id));
    let keep = |rel: &str| {
        let own_test_file = rel.strip_prefix(&own_test).is_some_and(|rest| {
            rest == ".rs" || (rest.starts_with('-') && rest.ends_with(".rs") && !rest.contains('/'))
        });
        !(rel == "src/fixed.rs"
            || rel.starts_with("src/fixed/")
            || rel.starts_with("homework/")
            || own_test_file
            || rel.starts_with(&own_snapshots)
            || rel.ends_with(".snap.new")
            || rel.ends_with(".pending-snap")
            || matches!(rel, "README.md" | "HINTS.md" | "RUBRIC.md"))
    };
    copy_tree(src, dest, &keep)?;
    fs::write(dest.join("tests/homework.rs"), verdict_tests(scenario))?;
    Ok(())
}

/// The fixed variant as the exercise starts: the broken code, with a TODO where each
/// `// PITFALL:` comment was. A file under `scenarios/<id>/homework/` overrides it; a
/// `<file>.tail.rs` there is appended to it.
fn write_starter(src: &Path, dest: &Path) -> anyhow::Result<()> {
    let broken = fs::read_to_string(src.join("src/broken.rs"))?;
    let starter = starter_from(&broken);
    let fixed_dir = src.join("src/fixed");
    if fixed_dir.is_dir() {
        let mut modules: Vec<String> = fs::read_dir(&fixed_dir)?
            .map(|e| e.map(|e| e.file_name().to_string_lossy().into_owned()))
            .collect::<Result<_, _>>()?;
        modules.sort();
        let mut decl = String::from(
            "//! Your fixes: one module per fix, each with the same API as `broken.rs`.\n\n",
        );
        fs::create_dir_all(dest.join("src/fixed"))?;
        for file in &modules {
            let name = file.trim_end_matches(".rs");
            decl.push_str(&format!("pub mod {name};\n"));
            fs::write(dest.join("src/fixed").join(file), &starter)?;
        }
        fs::write(dest.join("src/fixed.rs"), decl)?;
    } else {
        fs::write(dest.join("src/fixed.rs"), &starter)?;
    }
    let overrides = src.join("homework");
    if overrides.is_dir() {
        copy_tree(&overrides, dest, &|rel| !rel.ends_with(".tail.rs"))?;
        // `<file>.tail.rs` is appended to the generated `<file>.rs`: the items the lab's
        // other code needs from a fix whose API is wider than `broken.rs`'s, without a copy
        // of the broken code that could drift from it.
        let mut tails = Vec::new();
        collect_tails(&overrides, &overrides, &mut tails)?;
        for rel in tails {
            let target = dest.join(rel.to_string_lossy().replace(".tail.rs", ".rs"));
            let mut text = fs::read_to_string(&target)
                .with_context(|| format!("{} has no generated file to extend", rel.display()))?;
            text.push('\n');
            text.push_str(&fs::read_to_string(overrides.join(&rel))?);
            fs::write(&target, text)?;
        }
    }
    Ok(())
}

fn collect_tails(base: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_tails(base, &path, out)?;
        } else if path.to_string_lossy().ends_with(".tail.rs") {
            out.push(path.strip_prefix(base).expect("under base").to_path_buf());
        }
    }
    Ok(())
}

/// `broken.rs` with each `// PITFALL:` comment block replaced by one TODO line.
pub fn starter_from(broken: &str) -> String {
    let mut out = String::new();
    let mut in_pitfall = false;
    for (i, line) in broken.lines().enumerate() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        if i == 0 && trimmed.starts_with("//!") {
            out.push_str(
                "//! The fixed variant: it starts as a copy of `broken.rs`. Make it right.\n",
            );
            continue;
        }
        if trimmed.starts_with("// PITFALL:") {
            in_pitfall = true;
            out.push_str(indent);
            out.push_str("// TODO: the broken variant goes wrong here; fix it.\n");
            continue;
        }
        if in_pitfall && trimmed.starts_with("//") {
            continue;
        }
        in_pitfall = false;
        out.push_str(line);
        out.push('\n');
    }
    out
}

fn verdict_tests(scenario: &Scenario) -> String {
    let ident = crate_ident(scenario.id);
    let mut text = format!(
        "//! Grades the exercise by behaviour: the broken variant still shows the pitfall and\n\
         //! every fixed variant does not. Generated by `lab homework`; `lab grade` rewrites it.\n\n\
         use {ident}::SCENARIO;\n\n\
         #[track_caller]\n\
         fn check(name: &str) {{\n\
         \x20   lab_kit::testing::verdict(&SCENARIO, name);\n\
         }}\n"
    );
    for variant in scenario.variants {
        let verb = match variant.role {
            Role::Broken => "still_shows_the_pitfall",
            Role::Fix => "does_not_show_the_pitfall",
        };
        text.push_str(&format!(
            "\n#[test]\nfn {}_{verb}() {{\n    check(\"{}\");\n}}\n",
            variant.name, variant.name
        ));
    }
    text
}

/// The task in the user's words: the question and the symptom, never the fix.
fn task_readme(scenario: &Scenario) -> String {
    let section = |heading: &str| -> String {
        let Some(start) = scenario.readme.find(heading) else {
            return String::new();
        };
        let body = &scenario.readme[start + heading.len()..];
        let end = body.find("\n## ").unwrap_or(body.len());
        body[..end].trim().to_owned()
    };
    let fixes: Vec<&str> = scenario
        .variants
        .iter()
        .filter(|v| v.role == Role::Fix)
        .map(|v| v.name)
        .collect();
    format!(
        "# Exercise: {id}\n\n## The question\n\n{question}\n\n## The symptom\n\n{symptom}\n\n\
         ## Your task\n\n\
         `src/broken.rs` reproduces the symptom for real. The fixed variant(s) - {fixes} - live in\n\
         `src/fixed.rs` (or `src/fixed/`, one module per fix) and start as a copy of the broken\n\
         code, with `// TODO:` where it goes wrong. Change only the fixed sources until every\n\
         test passes:\n\n\
         ```\ncargo test\n```\n\n\
         The tests grade behaviour, not text: `tests/homework.rs` runs every variant and checks\n\
         its verdict, and the property tests check your fix on generated inputs. The grader\n\
         (`lab grade <dir>`) restores every file but your fixed sources before it runs them.\n{postgres}",
        id = scenario.id,
        question = section("## The question"),
        symptom = section("## The symptom"),
        fixes = fixes.join(", "),
        postgres = if scenario.tags.contains(&lab_kit::Tag::Postgres) {
            "\nSome variants need PostgreSQL. `scripts/with-postgres cargo test -- --include-ignored`\n\
             starts a throwaway server (the PostgreSQL 15 server binaries must be installed) and\n\
             runs the tests against it.\n"
        } else {
            ""
        },
    )
}

/// The exercise's workspace manifest: the lab's package metadata, dependency versions,
/// lints and profiles, with lab-kit as a sibling path and no other local crate.
fn workspace_manifest(root: &Path, id: &str) -> anyhow::Result<String> {
    let manifest = fs::read_to_string(root.join("Cargo.toml")).context("reading Cargo.toml")?;
    let mut out = format!("[workspace]\nmembers = [\"lab-kit\", \"{id}\"]\nresolver = \"3\"\n");
    let mut keep = false;
    for line in manifest.lines() {
        if line.starts_with('[') {
            keep = line.starts_with("[workspace.") || line.starts_with("[profile.");
            if keep {
                out.push('\n');
            }
        }
        if !keep {
            continue;
        }
        if line.contains("path = \"scenarios/") {
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

fn copy_tree(from: &Path, to: &Path, keep: &dyn Fn(&str) -> bool) -> anyhow::Result<()> {
    fn walk(base: &Path, dir: &Path, files: &mut Vec<PathBuf>) -> std::io::Result<()> {
        for entry in fs::read_dir(dir)? {
            let path = entry?.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target") {
                    continue;
                }
                walk(base, &path, files)?;
            } else {
                files.push(path.strip_prefix(base).expect("under base").to_path_buf());
            }
        }
        Ok(())
    }
    let mut files = Vec::new();
    walk(from, from, &mut files).with_context(|| format!("reading {}", from.display()))?;
    for rel in files {
        let rel_str = rel.to_string_lossy().replace('\\', "/");
        if !keep(&rel_str) {
            continue;
        }
        let target = to.join(&rel);
        if let Some(parent) = target.parent() {
            fs::create_dir_all(parent)?;
        }
        fs::copy(from.join(&rel), &target)
            .with_context(|| format!("copying {}", from.join(&rel).display()))?;
    }
    Ok(())
}

/// Files of an exported tree that carry the answer: a `FIX:` marker or a fixed snapshot.
pub fn find_answer_leaks(dir: &Path) -> anyhow::Result<Vec<String>> {
    let mut leaks = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(current) = stack.pop() {
        for entry in fs::read_dir(&current)? {
            let path = entry?.path();
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            if path.is_dir() {
                if name.as_deref() != Some("target") {
                    stack.push(path);
                }
                continue;
            }
            let rel = path
                .strip_prefix(dir)
                .unwrap_or(&path)
                .display()
                .to_string();
            let name = name.unwrap_or_default();
            let fixed_snapshot = name.ends_with(".snap") && name.contains("__fixed");
            if fixed_snapshot || fs::read_to_string(&path).is_ok_and(|text| text.contains("FIX:")) {
                leaks.push(rel);
            }
        }
    }
    leaks.sort();
    Ok(leaks)
}

/// One line of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    /// For a failed check: what the test said (a property's minimal counterexample included).
    pub detail: String,
}

/// What `lab grade` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub id: String,
    pub checks: Vec<Check>,
    /// Set when the exercise does not even compile: the compiler's errors.
    pub build_error: Option<String>,
}

impl Scorecard {
    /// Solved: it builds and every check passed.
    pub fn solved(&self) -> bool {
        self.build_error.is_none()
            && !self.checks.is_empty()
            && self.checks.iter().all(|c| c.passed)
    }

    /// The scorecard as text.
    pub fn render(&self) -> String {
        let mut text = format!("Scorecard for {}\n\n", self.id);
        if let Some(error) = &self.build_error {
            text.push_str("The exercise does not build:\n");
            text.push_str(error);
            text.push_str("\n\nNOT SOLVED\n");
            return text;
        }
        let mut table = Table::new(["check", "result"]);
        for c in &self.checks {
            table.row([
                c.name.clone(),
                if c.passed { "pass" } else { "FAIL" }.to_owned(),
            ]);
        }
        text.push_str(&table.to_string());
        for c in self.checks.iter().filter(|c| !c.passed) {
            text.push_str(&format!("\n--- {} ---\n{}\n", c.name, c.detail.trim()));
        }
        let passed = self.checks.iter().filter(|c| c.passed).count();
        text.push_str(&format!(
            "\n{passed}/{} checks passed: {}\n",
            self.checks.len(),
            if self.solved() {
                "SOLVED"
            } else {
                "NOT SOLVED"
            }
        ));
        text
    }
}

/// Restores the lab's own files (tests, model, broken code) around the candidate's fixed
/// sources in `dir`, runs the tests, and scores them. `target_dir` lets several gradings
/// share one build directory.
pub fn grade(dir: &Path, target_dir: Option<&Path>) -> anyhow::Result<Scorecard> {
    let marker = dir.join(MARKER);
    let id = fs::read_to_string(&marker).with_context(|| {
        format!(
            "{} is not an exported exercise (no {MARKER})",
            dir.display()
        )
    })?;
    let scenario = crate::find(id.trim())?;
    let src = scenario_dir(scenario.id)?;
    sync_lab_files(scenario, &src, &dir.join(scenario.id))?;

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let mut command = Command::new(cargo);
    command.args(["test", "--no-fail-fast", "-p", scenario.id]);
    if scenario.tags.contains(&lab_kit::Tag::Postgres) {
        // The PostgreSQL tests are ignored without a server; a grade must not skip them.
        command.args(["--", "--include-ignored"]);
    }
    command.current_dir(dir).env("RUST_BACKTRACE", "0");
    if let Some(target) = target_dir {
        command.env("CARGO_TARGET_DIR", target);
    }
    let output = command.output().context("cannot run cargo")?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    let checks = parse_test_output(&stdout);
    let build_error = if checks.is_empty() && !output.status.success() {
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error") || l.starts_with("  -->"))
            .take(20)
            .collect();
        Some(errors.join("\n"))
    } else {
        None
    };
    Ok(Scorecard {
        id: scenario.id.to_owned(),
        checks,
        build_error,
    })
}

/// Reads libtest's output: every `test NAME ... ok|FAILED` line, and for failures the
/// captured output block (`---- NAME stdout ----`).
pub fn parse_test_output(stdout: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        let passed = match result.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue,
        };
        checks.push(Check {
            name: name.to_owned(),
            passed,
            detail: String::new(),
        });
    }
    for check in checks.iter_mut().filter(|c| !c.passed) {
        let header = format!("---- {} stdout ----", check.name);
        if let Some(start) = stdout.find(&header) {
            let body = &stdout[start + header.len()..];
            let end = ["\n---- ", "\nfailures:"]
                .iter()
                .filter_map(|stop| body.find(stop))
                .min()
                .unwrap_or(body.len());
            check.detail = body[..end]
                .lines()
                .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
                .collect::<Vec<_>>()
                .join("\n");
        }
    }
    checks
}
