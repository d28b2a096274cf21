//! Repository rules, checked under `cargo test`: the catalogue on disk, in the CLI and in
//! the README agree, and every scenario crate has the template's shape (ARCHITECTURE.md):
//! the files and their jobs, the markers, fix modules with broken.rs's API, a snapshot per
//! variant and none orphaned, PostgreSQL tests ignored with their reason, no file too long,
//! no placeholder left by `lab new`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use lab_kit::{Need, Role, Scenario, Tag};
use pitfall_lab::REGISTRY;
use pitfall_lab::scaffold::PLACEHOLDER;

/// The headings every scenario README has, in this order.
const README_SECTIONS: [&str; 9] = [
    "## The question",
    "## The symptom",
    "## Run it",
    "## What you will see",
    "## Why it happens",
    "## The fix",
    "## Catch it",
    "## The same in Django",
    "## References",
];

/// The longest a source file may be.
const MAX_LINES: usize = 250;

/// Source files allowed to be longer, each with its reason.
const LONG_FILES: &[(&str, &str)] = &[];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &Path) -> String {
    fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Every file under `dir`, relative and `/`-separated, sorted.
fn files(dir: &Path) -> Vec<String> {
    pitfall_lab::homework::tree(dir).unwrap_or_default()
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

/// Runs `check` on every scenario and fails with every problem found, one per line.
#[track_caller]
fn check(check: impl Fn(&Scenario, &Path, &mut Vec<String>)) {
    let mut problems = Vec::new();
    for scenario in REGISTRY {
        let dir = root().join("scenarios").join(scenario.id);
        let mut found = Vec::new();
        check(scenario, &dir, &mut found);
        problems.extend(found.into_iter().map(|p| format!("{}: {p}", scenario.id)));
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
}

#[test]
fn every_scenario_directory_is_registered_and_every_registered_scenario_has_one() {
    let mut registered: Vec<String> = REGISTRY.iter().map(|s| s.id.to_owned()).collect();
    registered.sort();
    assert_eq!(
        scenario_dirs(),
        registered,
        "scenarios/ and the REGISTRY differ"
    );
}

#[test]
fn every_scenario_has_the_template_files_and_nothing_else_in_tests() {
    check(|scenario, dir, problems| {
        let id = scenario.id;
        for file in [
            "README.md",
            "HINTS.md",
            "RUBRIC.md",
            "src/lib.rs",
            "src/model.rs",
            "src/broken.rs",
            "src/run.rs",
        ] {
            if !dir.join(file).is_file() {
                problems.push(format!("no {file}"));
            }
        }
        if !dir.join("src/fixed.rs").is_file() {
            problems.push("no src/fixed.rs".into());
        }
        if dir.join("homework").exists() {
            problems
                .push("has a homework/ folder: a fix must share broken.rs's API instead".into());
        }
        if !read(&dir.join("Cargo.toml")).contains(&format!("name = \"{id}\"")) {
            problems.push("the package name is not the directory name".into());
        }
        for rel in files(&dir.join("tests")) {
            let allowed = rel == format!("{id}.rs")
                || rel == "properties.rs"
                || rel.starts_with("snapshots/");
            if !allowed {
                problems.push(format!(
                    "tests/{rel}: tests/ holds only {id}.rs, properties.rs and snapshots/"
                ));
            }
        }
        if !dir.join("tests").join(format!("{id}.rs")).is_file() {
            problems.push(format!("no tests/{id}.rs (snapshots and verdicts)"));
        }
    });
}

#[test]
fn every_scenario_builds_one_test_binary_and_runs_no_doctests() {
    // Each test binary links every dependency again (seconds of linking and tens of MB of
    // target/ per binary, times the catalogue): tests/properties.rs is a module of the
    // scenario's one test binary, and scenario docs hold no examples to compile.
    check(|scenario, dir, problems| {
        let id = scenario.id;
        let manifest = read(&dir.join("Cargo.toml"));
        let wanted = [
            "autotests = false".to_owned(),
            "[lib]\ndoctest = false".to_owned(),
            format!("[[test]]\nname = \"{id}\"\npath = \"tests/{id}.rs\""),
        ];
        for want in &wanted {
            if !manifest.contains(want.as_str()) {
                problems.push(format!("Cargo.toml lacks `{}`", want.replace('\n', " ")));
            }
        }
        if manifest.matches("[[test]]").count() != 1 {
            problems.push("Cargo.toml declares more than one test target".into());
        }
        let tests = read(&dir.join("tests").join(format!("{id}.rs")));
        if !tests.lines().any(|l| l == "mod properties;") {
            problems.push(format!("tests/{id}.rs does not declare `mod properties;`"));
        }
    });
}

#[test]
fn every_readme_has_its_sections_in_order_and_the_run_commands() {
    check(|scenario, dir, problems| {
        let id = scenario.id;
        let readme = read(&dir.join("README.md"));
        let mut at = 0;
        for section in README_SECTIONS {
            match readme[at..].find(section) {
                Some(i) => at += i + section.len(),
                None => problems.push(format!(
                    "README.md lacks `{section}` (or it is out of order)"
                )),
            }
        }
        let lib = read(&dir.join("src/lib.rs"));
        for command in [
            format!("cargo test -p {id}"),
            format!("cargo run -- run {id}"),
        ] {
            if !readme.contains(&command) {
                problems.push(format!("README.md does not say `{command}`"));
            }
            if !lib.contains(&command) {
                problems.push(format!(
                    "the `//!` header of src/lib.rs does not say `{command}`"
                ));
            }
        }
    });
}

#[test]
fn lib_rs_holds_only_the_header_the_modules_and_the_descriptor() {
    check(|_, dir, problems| {
        let lib = read(&dir.join("src/lib.rs"));
        if !lib.starts_with("//!") {
            problems.push("src/lib.rs does not open with a `//!` block".into());
        }
        for line in lib.lines() {
            let item = [
                "fn ",
                "pub fn ",
                "struct ",
                "pub struct ",
                "enum ",
                "pub enum ",
                "impl",
                "type ",
                "pub type ",
                "const ",
                "pub const ",
                "pub use ",
                "trait ",
                "pub trait ",
            ]
            .iter()
            .any(|k| line.starts_with(k));
            let other_static = (line.starts_with("static ") || line.starts_with("pub static "))
                && !line.starts_with("pub static SCENARIO");
            if item || other_static {
                problems.push(format!(
                    "src/lib.rs has `{}`: it belongs in model.rs, run.rs or its own module",
                    line.trim()
                ));
            }
        }
    });
}

#[test]
fn broken_and_every_fix_carry_their_markers() {
    check(|scenario, dir, problems| {
        if !read(&dir.join("src/broken.rs")).contains("// PITFALL:") {
            problems.push("src/broken.rs has no `// PITFALL:` marker".into());
        }
        for (name, text) in fix_modules(dir) {
            if !text.contains("// FIX:") {
                problems.push(format!("{name} has no `// FIX:` marker"));
            }
        }
        let _ = scenario;
    });
}

/// The fix modules: `src/fixed.rs` alone, or every `src/fixed/<fix>.rs`.
fn fix_modules(dir: &Path) -> Vec<(String, String)> {
    let fixed_dir = dir.join("src/fixed");
    if fixed_dir.is_dir() {
        files(&fixed_dir)
            .into_iter()
            .map(|rel| (format!("src/fixed/{rel}"), read(&fixed_dir.join(&rel))))
            .collect()
    } else {
        vec![("src/fixed.rs".to_owned(), read(&dir.join("src/fixed.rs")))]
    }
}

/// The public items at the top level of a rustfmt-formatted source file, by name, with
/// their signatures (up to the body or the value), whitespace normalised.
fn public_items(text: &str) -> BTreeMap<String, String> {
    let mut items = BTreeMap::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        let Some(rest) = line.strip_prefix("pub ") else {
            continue;
        };
        let mut signature = line.to_owned();
        let end =
            |s: &str| s.contains('{') || s.contains(';') || (s.contains('=') && !s.contains("=>"));
        while !end(&signature) && i < lines.len() {
            signature.push(' ');
            signature.push_str(lines[i]);
            i += 1;
        }
        let cut = signature.find(['{', ';', '=']).unwrap_or(signature.len());
        let signature = signature[..cut]
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let signature = signature.replace(", )", ")").replace("( ", "(");
        let name = rest
            .split_whitespace()
            .find(|w| {
                !matches!(
                    *w,
                    "fn" | "const"
                        | "static"
                        | "struct"
                        | "enum"
                        | "type"
                        | "trait"
                        | "mod"
                        | "use"
                        | "async"
                        | "unsafe"
                        | "mut"
                )
            })
            .unwrap_or("")
            .split(['(', '<', ':', ';', ' '])
            .next()
            .unwrap_or("")
            .to_owned();
        items.insert(name, signature);
    }
    items
}

#[test]
fn every_fix_module_has_exactly_broken_rs_public_items() {
    check(|_, dir, problems| {
        let broken = public_items(&read(&dir.join("src/broken.rs")));
        if broken.is_empty() {
            problems.push("src/broken.rs has no public item for the variants to call".into());
        }
        for (name, text) in fix_modules(dir) {
            let fix = public_items(&text);
            for (item, signature) in &broken {
                match fix.get(item) {
                    None => problems.push(format!("{name} lacks broken.rs's `{signature}`")),
                    Some(s) if s != signature => problems.push(format!(
                        "{name}: `{s}` differs from broken.rs's `{signature}`"
                    )),
                    Some(_) => {}
                }
            }
            for (item, signature) in &fix {
                if !broken.contains_key(item) {
                    problems.push(format!("{name} adds `{signature}`: a fix has exactly broken.rs's public items (make it private or move it to model.rs)"));
                }
            }
        }
    });
}

#[test]
fn every_fix_variant_runs_a_fix_module_and_every_module_is_run() {
    check(|scenario, dir, problems| {
        let modules: Vec<String> = if dir.join("src/fixed").is_dir() {
            files(&dir.join("src/fixed"))
                .iter()
                .map(|f| f.trim_end_matches(".rs").to_owned())
                .collect()
        } else {
            Vec::new()
        };
        let lib = read(&dir.join("src/lib.rs"));
        let mut used = Vec::new();
        for variant in scenario.variants {
            match variant.role {
                Role::Broken
                    if !(variant.name == "broken" || variant.name.starts_with("broken_")) =>
                {
                    problems.push(format!(
                        "broken variant `{}` is not `broken` or `broken_<backend>`",
                        variant.name
                    ));
                }
                Role::Fix if modules.is_empty() => {
                    if variant.name != "fixed" && !variant.name.starts_with("fixed_") {
                        problems.push(format!(
                            "fix variant `{}` is not named `fixed`",
                            variant.name
                        ));
                    }
                }
                Role::Fix => match modules
                    .iter()
                    .filter(|m| variant.name.starts_with(&format!("fixed_{m}")))
                    .max_by_key(|m| m.len())
                {
                    Some(m) => {
                        used.push(m.clone());
                        if !lib.contains(&format!("fixed::{m}::")) {
                            problems.push(format!(
                                "`{}` does not call src/fixed/{m}.rs from the descriptor",
                                variant.name
                            ));
                        }
                    }
                    None => problems.push(format!(
                        "fix variant `{}` names no module of src/fixed/",
                        variant.name
                    )),
                },
                Role::Broken => {}
            }
        }
        for m in modules {
            if !used.contains(&m) {
                problems.push(format!(
                    "src/fixed/{m}.rs is run by no variant (name one `fixed_{m}`)"
                ));
            }
        }
    });
}

#[test]
fn every_variant_has_a_snapshot_and_no_snapshot_is_orphaned() {
    check(|scenario, dir, problems| {
        let snapshots = files(&dir.join("tests/snapshots"));
        let own = scenario.id.replace('-', "_");
        for variant in scenario.variants {
            let name = format!("{own}__{}.snap", variant.name);
            if !snapshots.contains(&name) {
                problems.push(format!("no snapshot tests/snapshots/{name}"));
            }
        }
        for snap in &snapshots {
            let Some((file, name)) = snap.trim_end_matches(".snap").split_once("__") else {
                problems.push(format!(
                    "tests/snapshots/{snap} is not `<test file>__<name>.snap`"
                ));
                continue;
            };
            let test = dir.join("tests").join(format!(
                "{}.rs",
                if file == own { scenario.id } else { file }
            ));
            let used = test.is_file() && read(&test).contains(&format!("\"{name}\""));
            if !used {
                problems.push(format!(
                    "tests/snapshots/{snap} is orphaned: no test names `\"{name}\"`"
                ));
            }
            if snap.ends_with(".snap.new") || snap.ends_with(".pending-snap") {
                problems.push(format!("tests/snapshots/{snap} was never reviewed"));
            }
        }
    });
}

#[test]
fn every_postgresql_test_is_ignored_with_its_reason() {
    check(|scenario, dir, problems| {
        let pg_variants: Vec<&str> = scenario
            .variants
            .iter()
            .filter(|v| v.needs.contains(&Need::Postgres))
            .map(|v| v.name)
            .collect();
        for rel in files(&dir.join("tests"))
            .into_iter()
            .filter(|r| r.ends_with(".rs"))
        {
            let text = read(&dir.join("tests").join(&rel));
            for (name, attributes, body) in test_fns(&text) {
                let needs_pg = body.contains("url_for_test")
                    || pg_variants
                        .iter()
                        .any(|v| body.contains(&format!("\"{v}\"")));
                if needs_pg && !attributes.contains("#[ignore = \"needs PostgreSQL") {
                    problems.push(format!("tests/{rel}: `{name}` needs PostgreSQL but is not `#[ignore = \"needs PostgreSQL: <command>\"]`"));
                }
            }
        }
    });
}

/// The `#[test]` functions of a test file: name, attribute lines, body text.
fn test_fns(text: &str) -> Vec<(String, String, String)> {
    let mut out = Vec::new();
    let parts: Vec<&str> = text.split("#[test]").collect();
    for part in parts.iter().skip(1) {
        let Some(fn_at) = part.find("fn ") else {
            continue;
        };
        let attributes = part[..fn_at].to_owned();
        let name: String = part[fn_at + 3..]
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        out.push((name, attributes, part[fn_at..].to_owned()));
    }
    out
}

#[test]
fn every_scenario_has_its_django_twin_or_says_why_not() {
    check(|scenario, dir, problems| match scenario.twin {
        lab_kit::Twin::Facts(facts) => {
            if facts.is_empty() {
                problems
                    .push("its descriptor names no fact for the Django twin to reproduce".into());
            }
            if !dir.join("django/twin.py").is_file() {
                problems
                    .push("no django/twin.py (or `Twin::Absent(why)` in the descriptor)".into());
            }
        }
        lab_kit::Twin::Absent(why) => {
            let readme = read(&dir.join("README.md"));
            if !readme.contains("## The same in Django") || why.trim().is_empty() {
                problems.push("Twin::Absent needs its reason, and the README's `The same in Django` must give it".into());
            }
        }
    });
}

#[test]
fn hints_and_rubric_are_complete() {
    check(|_, dir, problems| {
        match fs::read_to_string(dir.join("HINTS.md")) {
            Ok(hints) if hints.matches("\n## Hint ").count() >= 2 => {}
            Ok(_) => problems.push("HINTS.md needs at least two `## Hint N` sections".into()),
            Err(_) => problems.push("no HINTS.md (progressive hints for `lab hint`)".into()),
        }
        let rubric = fs::read_to_string(dir.join("RUBRIC.md")).unwrap_or_default();
        for section in [
            "## Mechanism",
            "## Fix",
            "## Trade-off",
            "## Catching it in review or CI",
        ] {
            if !rubric.contains(section) {
                problems.push(format!("RUBRIC.md lacks `{section}`"));
            }
        }
        if !rubric.lines().any(|l| l.starts_with("Key terms:")) {
            problems.push(
                "RUBRIC.md lacks its `Key terms:` line (what an exported exercise must not say)"
                    .into(),
            );
        }
    });
}

#[test]
fn no_placeholder_of_lab_new_is_left() {
    check(|_, dir, problems| {
        for rel in files(dir) {
            if fs::read_to_string(dir.join(&rel)).is_ok_and(|t| t.contains(PLACEHOLDER)) {
                problems.push(format!("{rel} still has `{PLACEHOLDER}` placeholders"));
            }
        }
    });
    let readme = read(&root().join("README.md"));
    assert!(
        !readme.contains(PLACEHOLDER),
        "README.md still has `{PLACEHOLDER}` placeholders"
    );
}

/// `lab run` heads each scenario with `id: title`; at 100 columns that line must not wrap.
#[test]
fn every_title_fits_one_line_at_100_columns() {
    check(|scenario, _, problems| {
        let width = scenario.id.len() + 2 + scenario.title.chars().count();
        if width > 100 {
            problems.push(format!(
                "`{}: {}` is {width} columns; keep it to 100",
                scenario.id, scenario.title
            ));
        }
    });
}

#[test]
fn an_http_scenario_is_tagged_http() {
    check(|scenario, dir, problems| {
        let wants_http = read(&dir.join("Cargo.toml")).contains("\"http\"");
        if wants_http && !scenario.tags.contains(&Tag::Http) {
            problems.push("enables lab-kit's `http` feature but is not tagged http".into());
        }
    });
}

#[test]
fn no_source_file_is_longer_than_the_limit() {
    let mut long = Vec::new();
    let mut dirs = vec![root().join("src")];
    for dir in crate_dirs().into_iter().skip(1) {
        dirs.push(dir.join("src"));
    }
    for dir in dirs {
        for rel in files(&dir).into_iter().filter(|f| f.ends_with(".rs")) {
            let path = dir.join(&rel);
            let shown = path
                .strip_prefix(root())
                .expect("under the root")
                .display()
                .to_string();
            let lines = read(&path).lines().count();
            if lines > MAX_LINES && !LONG_FILES.iter().any(|(f, _)| *f == shown) {
                long.push(format!("{shown}: {lines} lines (split it by job, or add it to LONG_FILES with a reason)"));
            }
        }
    }
    assert!(long.is_empty(), "\n{}", long.join("\n"));
}

#[test]
fn every_crate_takes_versions_and_lints_from_the_workspace() {
    let mut problems = Vec::new();
    for dir in crate_dirs() {
        let manifest = read(&dir.join("Cargo.toml"));
        let name = dir.file_name().expect("a named folder").to_string_lossy();
        if name == "workspace-hack" {
            // Written by cargo-hakari, versions and all; only its [package] is ours.
            continue;
        }
        if !manifest.contains("workspace-hack.workspace = true") {
            problems.push(format!(
                "{name}: no `workspace-hack.workspace = true` (run `cargo hakari manage-deps`)"
            ));
        }
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
            let is_dep = !line.trim().is_empty() && !line.trim_start().starts_with('#');
            if is_dep_section && is_dep && !line.contains("workspace = true") {
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
    assert_eq!(
        readme.matches("(scenarios/").count(),
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

#[test]
fn the_api_parser_sees_signatures_not_bodies() {
    let items = public_items(
        "pub const SQL: &str = \"x\";\n/// Doc.\npub fn f(\n    a: i64,\n    b: &str,\n) -> i64 {\n    1\n}\nfn private() {}\n",
    );
    assert_eq!(items["SQL"], "pub const SQL: &str");
    assert_eq!(items["f"], "pub fn f(a: i64, b: &str) -> i64");
    assert_eq!(items.len(), 2);
}
