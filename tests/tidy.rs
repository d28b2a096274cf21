//! Repository rules, checked under `cargo test`: the catalogue on disk, in the CLI and in
//! the README agree, and every scenario crate has the shape of ../shared/SCENARIOS.md.

use std::fs;
use std::path::{Path, PathBuf};

use lab_kit::Tag;
use pitfall_lab::REGISTRY;

/// The headings every scenario README has, in this order.
const README_SECTIONS: [&str; 8] = [
    "## The question",
    "## The symptom",
    "## Run it",
    "## What you will see",
    "## Why it happens",
    "## The fix",
    "## Catch it",
    "## References",
];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn scenario_dirs() -> Vec<String> {
    let mut ids: Vec<String> = fs::read_dir(root().join("scenarios"))
        .expect("scenarios/ exists")
        .map(|e| e.expect("readable entry"))
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    ids.sort();
    ids
}

/// The text of `src/<name>.rs` and of every file under `src/<name>/`, if there is any.
fn sources(dir: &Path, name: &str) -> Option<String> {
    let mut text = String::new();
    let file = dir.join("src").join(format!("{name}.rs"));
    if file.is_file() {
        text.push_str(&read(&file));
    }
    if let Ok(entries) = fs::read_dir(dir.join("src").join(name)) {
        for entry in entries {
            text.push_str(&read(&entry.expect("readable entry").path()));
        }
    }
    (!text.is_empty()).then_some(text)
}

/// Every package in the workspace, by its directory.
fn crate_dirs() -> Vec<PathBuf> {
    let mut dirs = vec![root()];
    for group in ["crates", "scenarios"] {
        for entry in fs::read_dir(root().join(group)).expect("the folder exists") {
            let path = entry.expect("readable entry").path();
            if path.join("Cargo.toml").is_file() {
                dirs.push(path);
            }
        }
    }
    dirs
}

#[test]
fn every_scenario_directory_is_registered_and_every_registered_scenario_has_one() {
    let mut registered: Vec<String> = REGISTRY.iter().map(|s| s.id.to_owned()).collect();
    registered.sort();
    assert_eq!(
        scenario_dirs(),
        registered,
        "scenarios/ and pitfall_lab::REGISTRY differ"
    );
}

#[test]
fn every_scenario_has_the_files_markers_and_snapshots_of_a_finished_one() {
    let mut problems = Vec::new();
    for scenario in REGISTRY {
        let id = scenario.id;
        let dir = root().join("scenarios").join(id);
        let mut problem = |what: String| problems.push(format!("{id}: {what}"));

        let manifest = read(&dir.join("Cargo.toml"));
        if !manifest.contains(&format!("name = \"{id}\"")) {
            problem("the package name is not the directory name".into());
        }

        let readme = read(&dir.join("README.md"));
        let mut at = 0;
        for section in README_SECTIONS {
            match readme[at..].find(section) {
                Some(i) => at += i + section.len(),
                None => problem(format!(
                    "README.md lacks `{section}` (or it is out of order)"
                )),
            }
        }
        for command in [
            format!("cargo test -p {id}"),
            format!("cargo run -- run {id}"),
        ] {
            if !readme.contains(&command) {
                problem(format!("README.md does not say `{command}`"));
            }
        }

        let lib = read(&dir.join("src/lib.rs"));
        if !lib.starts_with("//!") {
            problem("src/lib.rs does not open with a `//!` block".into());
        }
        for command in [
            format!("cargo test -p {id}"),
            format!("cargo run -- run {id}"),
        ] {
            if !lib.contains(&command) {
                problem(format!(
                    "the `//!` header of src/lib.rs does not say `{command}`"
                ));
            }
        }

        match sources(&dir, "broken") {
            Some(text) if text.contains("// PITFALL:") => {}
            Some(_) => problem("src/broken has no `// PITFALL:` marker".into()),
            None => problem("no src/broken.rs or src/broken/".into()),
        }
        match sources(&dir, "fixed") {
            Some(text) if text.contains("// FIX:") => {}
            Some(_) => problem("src/fixed has no `// FIX:` marker".into()),
            None => problem("no src/fixed.rs or src/fixed/".into()),
        }

        let snapshots: Vec<String> = fs::read_dir(dir.join("tests/snapshots"))
            .map(|entries| {
                entries
                    .map(|e| {
                        e.expect("readable entry")
                            .file_name()
                            .to_string_lossy()
                            .into_owned()
                    })
                    .collect()
            })
            .unwrap_or_default();
        for variant in scenario.variants {
            let suffix = format!("__{}.snap", variant.name);
            if !snapshots.iter().any(|s| s.ends_with(&suffix)) {
                problem(format!("no snapshot `tests/snapshots/*{suffix}`"));
            }
        }

        match fs::read_to_string(dir.join("HINTS.md")) {
            Ok(hints) if hints.matches("\n## Hint ").count() >= 2 => {}
            Ok(_) => problem("HINTS.md needs at least two `## Hint N` sections".into()),
            Err(_) => problem("no HINTS.md (progressive hints for `lab hint`)".into()),
        }
        match fs::read_to_string(dir.join("RUBRIC.md")) {
            Ok(rubric) => {
                for section in [
                    "## Mechanism",
                    "## Fix",
                    "## Trade-off",
                    "## Catching it in review or CI",
                ] {
                    if !rubric.contains(section) {
                        problem(format!("RUBRIC.md lacks `{section}`"));
                    }
                }
            }
            Err(_) => problem("no RUBRIC.md (for `lab show --rubric`)".into()),
        }
        if !dir.join("tests").join(format!("{id}.rs")).is_file() {
            problem(format!("no tests/{id}.rs (snapshots and verdicts)"));
        }

        let wants_http = manifest.contains("\"http\"");
        if wants_http && !scenario.tags.contains(&Tag::Http) {
            problem("enables lab-kit's `http` feature but is not tagged http".into());
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_crate_takes_versions_and_lints_from_the_workspace() {
    let mut problems = Vec::new();
    for dir in crate_dirs() {
        let manifest = read(&dir.join("Cargo.toml"));
        let name = dir.file_name().expect("a named folder").to_string_lossy();
        for key in ["version", "edition", "publish"] {
            if !manifest.contains(&format!("{key}.workspace = true")) {
                problems.push(format!("{name}: `{key}.workspace = true` missing"));
            }
        }
        if !manifest.contains("[lints]\nworkspace = true") {
            problems.push(format!("{name}: `[lints] workspace = true` missing"));
        }
        let mut section = String::new();
        for line in manifest.lines() {
            if line.starts_with('[') {
                section = line.to_owned();
                continue;
            }
            let is_dep_section =
                section.contains("dependencies]") && !section.starts_with("[workspace");
            if is_dep_section && !line.trim().is_empty() && !line.contains("workspace = true") {
                problems.push(format!(
                    "{name}: `{line}` does not come from [workspace.dependencies]"
                ));
            }
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn the_readme_catalogue_lists_exactly_the_registered_scenarios() {
    let readme = read(&root().join("README.md"));
    for scenario in REGISTRY {
        let link = format!("(scenarios/{}/README.md)", scenario.id);
        assert!(readme.contains(&link), "README.md does not link {link}");
    }
    let linked = readme.matches("(scenarios/").count();
    assert_eq!(
        linked,
        REGISTRY.len(),
        "README.md links scenarios that are not registered"
    );
}

#[test]
fn readme_starts_with_the_two_commands_and_ci_runs_its_test_command() {
    let readme = read(&root().join("README.md"));
    let head: String = readme.lines().take(20).collect::<Vec<_>>().join("\n");
    assert!(
        head.contains("cargo run"),
        "README.md's first lines lack `cargo run`"
    );
    assert!(
        head.contains("cargo test --workspace"),
        "README.md's first lines lack the test command"
    );
    let ci = read(&root().join(".ci/run"));
    assert!(
        ci.contains("cargo test --workspace"),
        ".ci/run does not run the README's test command"
    );
}
