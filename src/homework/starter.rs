//! The broken code as an exercise shows it (no `//!` header that explains it, no
//! `// PITFALL:` comments), and each fix's starter: the same code with a neutral marker
//! where a pitfall comment was.

/// The first line of an exported `broken.rs`.
const BROKEN_HEADER: &str =
    "//! The code as it runs today: it shows the symptom described in README.md.";
/// The first line of a fix's starter.
const STARTER_HEADER: &str =
    "//! Your fix: it starts as a copy of `broken.rs`. Keep its public items as they are.";
/// Where a `// PITFALL:` comment was, in a starter.
const MARKER: &str = "// TODO: make this right.";

/// `broken.rs` without its `//!` header block and its `// PITFALL:` comment blocks.
pub fn neutral_broken(broken: &str) -> String {
    rewrite(broken, BROKEN_HEADER, None)
}

/// A fix's starter: `broken.rs` with its header replaced and each `// PITFALL:` comment
/// block replaced by one neutral TODO line.
pub fn starter_from(broken: &str) -> String {
    rewrite(broken, STARTER_HEADER, Some(MARKER))
}

fn rewrite(broken: &str, header: &str, marker: Option<&str>) -> String {
    let mut out = String::new();
    let mut lines = broken.lines().peekable();
    // The `//!` block at the top says what goes wrong: it stays in the lab.
    while lines
        .peek()
        .is_some_and(|l| l.trim_start().starts_with("//!"))
    {
        lines.next();
    }
    out.push_str(header);
    out.push('\n');
    let mut in_pitfall = false;
    for line in lines {
        let trimmed = line.trim_start();
        if trimmed.starts_with("// PITFALL:") {
            in_pitfall = true;
            if let Some(marker) = marker {
                out.push_str(&line[..line.len() - trimmed.len()]);
                out.push_str(marker);
                out.push('\n');
            }
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

#[cfg(test)]
mod tests {
    use super::*;

    const BROKEN: &str = "//! The broken one: it\n//! explains itself.\n\nfn f() {\n    // PITFALL: the reason,\n    // over two lines.\n    g();\n}\n";

    #[test]
    fn the_starter_keeps_the_code_and_a_neutral_marker() {
        assert_eq!(
            starter_from(BROKEN),
            format!("{STARTER_HEADER}\n\nfn f() {{\n    {MARKER}\n    g();\n}}\n")
        );
    }

    #[test]
    fn the_exported_broken_code_explains_nothing() {
        assert_eq!(
            neutral_broken(BROKEN),
            format!("{BROKEN_HEADER}\n\nfn f() {{\n    g();\n}}\n")
        );
    }
}
