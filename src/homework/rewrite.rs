//! The lab's files as an exercise shows them: the scenario's `lib.rs` without its
//! explaining header and benchmark, lab-kit without its own tests, the workspace manifest
//! with lab-kit as a sibling.

use std::fs;
use std::path::Path;

use lab_kit::Scenario;

use super::manifest::read;

/// The scenario's `lib.rs` as an exercise shows it: a neutral header, no benchmark, the
/// question as its title.
pub(super) fn neutral_lib(lib: &str, scenario: &Scenario) -> String {
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
pub(super) fn without_unit_tests(text: &str) -> String {
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
pub(super) fn without_tests(manifest: &str) -> String {
    let mut out = String::new();
    let mut skip = false;
    for line in without_workspace_hack(manifest).lines() {
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

/// A scenario's manifest for its exercise: without the `workspace-hack` lines, and
/// without the lab's test layout (`autotests = false`, `[lib]`, `[[test]]` and the comment
/// above them): in the lab `tests/properties.rs` is a module of the scenario's test
/// binary, in the exercise `tests/homework.rs` and `tests/properties.rs` are found as two.
pub(super) fn exercise_manifest(manifest: &str) -> String {
    let mut out = String::new();
    let mut comments = String::new();
    let mut skip = false;
    for line in without_workspace_hack(manifest).lines() {
        if line.starts_with('#') {
            comments.push_str(line);
            comments.push('\n');
            continue;
        }
        if line.starts_with('[') {
            skip = line == "[lib]" || line == "[[test]]";
        }
        let dropped = skip || line.trim() == "autotests = false";
        if !dropped {
            out.push_str(&comments);
            out.push_str(line);
            out.push('\n');
        }
        comments.clear();
    }
    out.push_str(&comments);
    let mut text = out.trim_end().to_owned();
    text.push('\n');
    text
}

/// The exercise's workspace manifest: the lab's package metadata, dependency versions,
/// lints and profiles, with lab-kit as a sibling path and only the scenario as a default
/// member (so `cargo test` and `cargo run` mean the exercise, not lab-kit).
pub(super) fn workspace_manifest(root: &Path, id: &str) -> anyhow::Result<String> {
    let manifest = read(&root.join("Cargo.toml"))?;
    let mut out = format!(
        "[workspace]\nmembers = [\"lab-kit\", \"{id}\"]\ndefault-members = [\"{id}\"]\nresolver = \"3\"\n"
    );
    let mut keep = false;
    // Comment lines wait for the line they describe: a section left out takes the
    // comment above it along.
    let mut comments = String::new();
    for line in manifest.lines() {
        if line.starts_with('#') {
            comments.push_str(line);
            comments.push('\n');
            continue;
        }
        if line.starts_with('[') {
            keep = (line.starts_with("[workspace.") || line.starts_with("[profile."))
                && !another_scenarios_profile(root, id, line);
            if keep && !out.ends_with("\n\n") {
                out.push('\n');
            }
        }
        if !keep || line.contains("path = \"scenarios/") || line.starts_with("workspace-hack") {
            comments.clear();
            continue;
        }
        out.push_str(&comments);
        comments.clear();
        if line.starts_with("lab-kit =") {
            out.push_str("lab-kit = { path = \"lab-kit\" }\n");
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    Ok(out)
}

/// Whether `header` is a profile override for a lab scenario other than `id` (such as
/// `[profile.dev.package.streaming-large-json]`): in another scenario's exercise it
/// would name a package that is not there, and cargo would warn about it.
fn another_scenarios_profile(root: &Path, id: &str, header: &str) -> bool {
    header
        .strip_prefix("[profile.")
        .and_then(|rest| rest.split_once(".package."))
        .map(|(_, package)| package.trim_end_matches(']').trim_matches('"'))
        .is_some_and(|package| package != id && root.join("scenarios").join(package).is_dir())
}

#[cfg(unix)]
pub(super) fn set_executable(path: &Path) -> anyhow::Result<()> {
    use std::os::unix::fs::PermissionsExt;
    fs::set_permissions(path, fs::Permissions::from_mode(0o755))?;
    Ok(())
}

#[cfg(not(unix))]
pub(super) fn set_executable(_path: &Path) -> anyhow::Result<()> {
    Ok(())
}

/// A manifest without the `workspace-hack` lines: the exercise is its own workspace, and
/// unifying features across the lab's crates means nothing there.
pub(super) fn without_workspace_hack(manifest: &str) -> String {
    let mut out: String = manifest
        .lines()
        .filter(|l| !l.trim_start().starts_with("workspace-hack"))
        .collect::<Vec<_>>()
        .join("\n");
    out.push('\n');
    out
}
