//! `lab new <id>`: a new scenario from the template - every file of ARCHITECTURE.md's
//! layout, a small working broken/fixed pair to replace, and the registry, workspace and
//! README lines - so it builds at once, while `FILL IN` placeholders keep the tidy test
//! failing until the scenario is really written.

use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::{Context, bail};

use crate::repo_root;

/// The placeholder tidy looks for.
pub const PLACEHOLDER: &str = "FILL IN";

/// Writes the scenario `id` into the repository at `root` (the lab's own, normally).
pub fn new(out: &mut dyn Write, root: &Path, id: &str) -> anyhow::Result<()> {
    check_id(id)?;
    let dir = root.join("scenarios").join(id);
    if dir.exists() {
        bail!("{} exists already; choose another id", dir.display());
    }
    let ident = id.replace('-', "_");
    let fill = |template: &str| template.replace("{id}", id).replace("{ident}", &ident);
    for (rel, template) in FILES {
        let path = dir.join(fill(rel));
        fs::create_dir_all(path.parent().expect("files live in the scenario directory"))?;
        fs::write(&path, fill(template))
            .with_context(|| format!("cannot write {}", path.display()))?;
    }
    add_lines(root, id, &ident)?;
    writeln!(
        out,
        "Wrote scenarios/{id}/ and registered it (Cargo.toml, src/registry.rs, README.md).\n\
         It builds; `INSTA_UPDATE=always cargo test -p {id}` writes its first snapshots (read\n\
         them). `cargo test --test tidy` fails until every `{PLACEHOLDER}` is replaced.\n\
         Start with src/model.rs, src/broken.rs and README.md; ARCHITECTURE.md has the template."
    )?;
    Ok(())
}

/// Lower-case words joined by single hyphens: the package, directory and CLI id.
fn check_id(id: &str) -> anyhow::Result<()> {
    let valid = !id.is_empty()
        && id.split('-').all(|w| {
            !w.is_empty()
                && w.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
        })
        && id.starts_with(|c: char| c.is_ascii_lowercase());
    if !valid {
        bail!(
            "`{id}` is not a scenario id: use lower-case words joined by hyphens, e.g. `lost-update`"
        );
    }
    Ok(())
}

/// The workspace dependency, the `lab` package's dependency, the registry entry and the
/// README catalogue row, each inserted after the last one of its kind.
fn add_lines(root: &Path, id: &str, ident: &str) -> anyhow::Result<()> {
    let edit = |rel: &str, after: &dyn Fn(&str) -> bool, line: String| -> anyhow::Result<()> {
        let path = root.join(rel);
        let text = fs::read_to_string(&path).with_context(|| format!("cannot read {rel}"))?;
        let mut lines: Vec<&str> = text.lines().collect();
        let Some(at) = lines.iter().rposition(|l| after(l)) else {
            bail!("{rel} does not have the lines `lab new` extends; add `{line}` by hand");
        };
        lines.insert(at + 1, &line);
        let mut joined = lines.join("\n");
        joined.push('\n');
        fs::write(&path, joined).with_context(|| format!("cannot write {rel}"))?;
        Ok(())
    };
    edit(
        "Cargo.toml",
        &|l| l.contains("path = \"scenarios/"),
        format!("{id} = {{ path = \"scenarios/{id}\" }}"),
    )?;
    edit(
        "Cargo.toml",
        &|l| l.ends_with(".workspace = true") && !l.contains('{') && l.contains('-'),
        format!("{id}.workspace = true"),
    )?;
    edit(
        "src/registry.rs",
        &|l| l.trim_start().starts_with('&') && l.trim_end().ends_with("::SCENARIO,"),
        format!("    &{ident}::SCENARIO,"),
    )?;
    edit(
        "README.md",
        &|l| l.starts_with("| [") && l.contains("(scenarios/"),
        format!(
            "| [{id}](scenarios/{id}/README.md) | {PLACEHOLDER}: the question in a line | SQLite | intermediate |"
        ),
    )?;
    Ok(())
}

const FILES: &[(&str, &str)] = &[
    ("Cargo.toml", include_str!("scaffold/Cargo.toml.txt")),
    ("README.md", include_str!("scaffold/README.md.txt")),
    ("HINTS.md", include_str!("scaffold/HINTS.md.txt")),
    ("RUBRIC.md", include_str!("scaffold/RUBRIC.md.txt")),
    ("src/lib.rs", include_str!("scaffold/lib.rs.txt")),
    ("src/model.rs", include_str!("scaffold/model.rs.txt")),
    ("src/broken.rs", include_str!("scaffold/broken.rs.txt")),
    ("src/fixed.rs", include_str!("scaffold/fixed.rs.txt")),
    ("src/run.rs", include_str!("scaffold/run.rs.txt")),
    ("src/property.rs", include_str!("scaffold/property.rs.txt")),
    (
        "tests/{id}.rs",
        include_str!("scaffold/scenario_test.rs.txt"),
    ),
    (
        "tests/properties.rs",
        include_str!("scaffold/properties.rs.txt"),
    ),
    ("django/twin.py", include_str!("scaffold/twin.py.txt")),
];

/// `lab new` in the lab's own repository.
pub fn new_in_lab(out: &mut dyn Write, id: &str) -> anyhow::Result<()> {
    new(out, &repo_root(), id)
}
