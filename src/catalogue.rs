//! `lab list`, `lab show` and `lab hint`: the catalogue, a scenario's README (or its
//! rubric) for a terminal, and its progressive hints.

use std::fs;
use std::io::Write;

use anyhow::Context;
use lab_kit::Scenario;

use crate::{markdown, repo_root};

/// `lab list`: per scenario a line with its id, difficulty and tags, and its title under
/// it, wrapped to `width`.
pub fn list(out: &mut dyn Write, scenarios: &[&Scenario], width: usize) -> anyhow::Result<()> {
    let id_width = scenarios.iter().map(|s| s.id.len()).max().unwrap_or(0);
    writeln!(out, "{:id_width$}  {:12}  tags", "id", "difficulty")?;
    writeln!(
        out,
        "{}  {}  {}",
        "-".repeat(id_width),
        "-".repeat(12),
        "-".repeat(4)
    )?;
    for s in scenarios {
        let tags: Vec<&str> = s.tags.iter().map(|t| t.as_str()).collect();
        let line = format!(
            "{:id_width$}  {:12}  {}",
            s.id,
            s.difficulty.as_str(),
            tags.join(", ")
        );
        writeln!(out, "{}", lab_kit::table::cut(&line, width))?;
        for line in crate::term::wrap(s.title, width, "    ", "    ") {
            writeln!(out, "{line}")?;
        }
    }
    writeln!(
        out,
        "
{} scenarios. `cargo run -- show <id>` prints one's README.",
        scenarios.len()
    )?;
    Ok(())
}

/// `lab show <id>`: the README rendered for a terminal of `width` columns (`raw`: the
/// Markdown as it is); with `rubric`, what a strong answer names instead (interviewers).
pub fn show(
    out: &mut dyn Write,
    scenario: &Scenario,
    rubric: bool,
    raw: bool,
    width: usize,
) -> anyhow::Result<()> {
    let text = if rubric {
        scenario_file(scenario, "RUBRIC.md")?
    } else {
        scenario.readme.to_owned()
    };
    if raw {
        write!(out, "{text}")?;
    } else {
        for line in markdown::render(&text, width) {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

/// A file of the scenario's directory in the lab's repository (hints, rubric).
pub fn scenario_file(scenario: &Scenario, name: &str) -> anyhow::Result<String> {
    let path = repo_root().join("scenarios").join(scenario.id).join(name);
    fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
}

/// The hints of a scenario, gentlest first: the `## Hint N` sections of its HINTS.md.
pub fn hints(scenario: &Scenario) -> anyhow::Result<Vec<String>> {
    let text = scenario_file(scenario, "HINTS.md")?;
    Ok(text
        .split("\n## Hint ")
        .skip(1)
        .map(|section| {
            let body = section.split_once('\n').map_or("", |(_, body)| body);
            body.trim().to_owned()
        })
        .collect())
}

/// `lab hint <id> [N]`: hint N (1 by default), and how many more there are.
pub fn hint(
    out: &mut dyn Write,
    scenario: &Scenario,
    n: Option<usize>,
    width: usize,
) -> anyhow::Result<()> {
    let hints = hints(scenario)?;
    let n = n.unwrap_or(1);
    let Some(text) = n.checked_sub(1).and_then(|i| hints.get(i)) else {
        anyhow::bail!(
            "{} has hints 1 to {}; there is no hint {n}",
            scenario.id,
            hints.len()
        );
    };
    writeln!(out, "Hint {n} of {} for {}:\n", hints.len(), scenario.id)?;
    for line in markdown::render(text, width) {
        writeln!(out, "{line}")?;
    }
    if n < hints.len() {
        writeln!(
            out,
            "\nStill stuck? `cargo run -- hint {} {}` is a little more direct.",
            scenario.id,
            n + 1
        )?;
    }
    Ok(())
}
