//! The `lab` CLI as a library: the scenario registry and one function per command, each
//! writing to the output it is given so the binary stays a thin layer over it.

pub mod handout;
pub mod homework;

use std::fmt;
use std::fs;
use std::io::Write;
use std::path::Path;

use anyhow::Context;
use lab_kit::{BenchOptions, Outcome, Role, Scenario, ScenarioRun, Table};

/// Every scenario of the lab, in catalogue order. The tidy test checks that this list and
/// the directories under `scenarios/` agree.
pub static REGISTRY: &[&Scenario] = &[
    &double_counted_annotations::SCENARIO,
    &stale_update_fields::SCENARIO,
    &migration_rebase_conflict::SCENARIO,
    &streaming_large_csv::SCENARIO,
    &row_locking::SCENARIO,
];

/// An id that names no scenario; the message suggests the closest ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownScenario {
    pub id: String,
    pub suggestions: Vec<&'static str>,
}

impl fmt::Display for UnknownScenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown scenario `{}`; did you mean {}? (`lab list` shows them all)",
            self.id,
            self.suggestions
                .iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(" or ")
        )
    }
}

impl std::error::Error for UnknownScenario {}

/// The scenario called `id`, or an error naming the (up to three) closest ids: the
/// closest one always, others only if they are close too (half the characters right), so
/// a typo is not answered with unrelated scenarios.
pub fn find(id: &str) -> Result<&'static Scenario, UnknownScenario> {
    if let Some(scenario) = REGISTRY.iter().find(|s| s.id == id) {
        return Ok(scenario);
    }
    let mut scored: Vec<(f64, &'static str)> = REGISTRY
        .iter()
        .map(|s| (strsim::normalized_damerau_levenshtein(id, s.id), s.id))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    // Only ids that resemble the typo (a far-off id is noise, and the list grows with the
    // catalogue); the single closest one when none does, so the message always helps.
    let close = scored
        .iter()
        .filter(|(score, _)| *score >= 0.5)
        .count()
        .max(1);
    Err(UnknownScenario {
        id: id.to_owned(),
        suggestions: scored
            .into_iter()
            .take(close.min(3))
            .map(|(_, s)| s)
            .collect(),
    })
}

/// A run's verdict cells for the tour: broken observed?, fixes hold?, skipped variants.
struct Verdict {
    broken: String,
    fixes: String,
    ok: bool,
}

fn verdict(scenario: &Scenario, run: &ScenarioRun) -> Verdict {
    let mut broken = Vec::new();
    let mut fixes = Vec::new();
    for result in &run.variants {
        let cell = match &result.outcome {
            Outcome::Ran(report) => match (result.role, report.pitfall_observed) {
                (Role::Broken, true) => "observed".to_owned(),
                (Role::Broken, false) => format!("{}: NOT reproduced", result.name),
                (Role::Fix, false) => "holds".to_owned(),
                (Role::Fix, true) => format!("{}: FAILS", result.name),
            },
            Outcome::Skipped(_) => format!("{}: skipped", result.name),
            Outcome::Failed(_) => format!("{}: ERROR", result.name),
        };
        if result.role == Role::Broken {
            broken.push(cell);
        } else {
            fixes.push(cell);
        }
    }
    // "observed (2/2)"; "holds 2/6, 4 skipped"; or the names of the variants that failed.
    let summarize = |cells: Vec<String>, good: &str| {
        let total = cells.len();
        let good_count = cells.iter().filter(|c| *c == good).count();
        let skipped = cells.iter().filter(|c| c.ends_with(": skipped")).count();
        let mut bad: Vec<String> = cells
            .into_iter()
            .filter(|c| c != good && !c.ends_with(": skipped"))
            .collect();
        if bad.is_empty() && skipped == 0 {
            return format!("{good} ({good_count}/{total})");
        }
        let mut parts = vec![format!("{good} {good_count}/{total}")];
        if skipped > 0 {
            parts.push(format!("{skipped} skipped"));
        }
        parts.append(&mut bad);
        parts.join(", ")
    };
    Verdict {
        broken: summarize(broken, "observed"),
        fixes: summarize(fixes, "holds"),
        ok: scenario.problems(run).is_empty(),
    }
}

/// `lab tour`: every scenario, a verdict table; false if any scenario misbehaved.
pub fn tour(out: &mut dyn Write) -> anyhow::Result<bool> {
    writeln!(
        out,
        "Pitfall Lab tour: {} scenario(s), each broken variant beside its fixes\n",
        REGISTRY.len()
    )?;
    let mut table = Table::new(["scenario", "broken", "fixes", "symptom (broken)"]);
    let mut all_ok = true;
    let mut skipped = Vec::new();
    for scenario in REGISTRY {
        let run = scenario.run();
        let v = verdict(scenario, &run);
        all_ok &= v.ok;
        let symptom = run
            .variants
            .iter()
            .find_map(|r| r.report().filter(|r| r.pitfall_observed))
            .map(|r| r.symptom.clone())
            .unwrap_or_default();
        table.row([scenario.id.to_owned(), v.broken, v.fixes, symptom]);
        // One line per reason: which variants it kept from running, and how to run them.
        let mut reasons: Vec<(&str, Vec<&str>)> = Vec::new();
        for r in &run.variants {
            if let Outcome::Skipped(why) | Outcome::Failed(why) = &r.outcome {
                match reasons.iter_mut().find(|(w, _)| w == why) {
                    Some((_, names)) => names.push(&r.name),
                    None => reasons.push((why, vec![&r.name])),
                }
            }
        }
        for (why, names) in reasons {
            skipped.push(format!("{} ({}): {why}", scenario.id, names.join(", ")));
        }
    }
    write!(out, "{table}")?;
    if !skipped.is_empty() {
        writeln!(out, "\nSkipped (never counted as passing):")?;
        for line in &skipped {
            writeln!(out, "  {line}")?;
        }
    }
    let verdict = match (all_ok, skipped.is_empty()) {
        (true, true) => "Every broken variant reproduced its pitfall and every fix held.",
        (true, false) => {
            "Every variant that ran behaved as documented; the skipped ones were not judged."
        }
        (false, _) => "Some scenarios did not behave as documented (see above).",
    };
    writeln!(out, "\n{verdict}")?;
    writeln!(
        out,
        "Study one: cargo run -- run <id>, cargo test -p <id>; the catalogue: cargo run -- list"
    )?;
    Ok(all_ok)
}

/// `lab list`: the catalogue.
pub fn list(out: &mut dyn Write) -> anyhow::Result<()> {
    let mut table = Table::new(["id", "title", "tags", "difficulty"]);
    for s in REGISTRY {
        let tags: Vec<&str> = s.tags.iter().map(|t| t.as_str()).collect();
        table.row([
            s.id.to_owned(),
            s.title.to_owned(),
            tags.join(", "),
            s.difficulty.as_str().to_owned(),
        ]);
    }
    write!(out, "{table}")?;
    Ok(())
}

/// `lab show <id>`: the question and the README; with `rubric`, what a strong answer
/// names instead (for interviewers).
pub fn show(out: &mut dyn Write, scenario: &Scenario, rubric: bool) -> anyhow::Result<()> {
    writeln!(out, "{}: {}\n", scenario.id, scenario.title)?;
    writeln!(out, "Question: {}\n", scenario.question)?;
    if rubric {
        write!(out, "{}", scenario_file(scenario, "RUBRIC.md")?)?;
    } else {
        write!(out, "{}", scenario.readme)?;
    }
    Ok(())
}

/// A file of the scenario's directory in the lab's repository (hints, rubric).
fn scenario_file(scenario: &Scenario, name: &str) -> anyhow::Result<String> {
    let path = homework::repo_root()
        .join("scenarios")
        .join(scenario.id)
        .join(name);
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
pub fn hint(out: &mut dyn Write, scenario: &Scenario, n: Option<usize>) -> anyhow::Result<()> {
    let hints = hints(scenario)?;
    let n = n.unwrap_or(1);
    let Some(text) = n.checked_sub(1).and_then(|i| hints.get(i)) else {
        anyhow::bail!(
            "{} has hints 1 to {}; there is no hint {n}",
            scenario.id,
            hints.len()
        );
    };
    writeln!(
        out,
        "Hint {n} of {} for {}:\n\n{text}",
        hints.len(),
        scenario.id
    )?;
    if n < hints.len() {
        writeln!(
            out,
            "\nStill stuck? `lab hint {} {}` is a little more direct.",
            scenario.id,
            n + 1
        )?;
    }
    Ok(())
}

/// `lab homework <id> --out DIR`.
pub fn homework(out: &mut dyn Write, scenario: &Scenario, dir: &Path) -> anyhow::Result<()> {
    homework::export(scenario, dir)?;
    writeln!(
        out,
        "Wrote the exercise for {} to {}.\nThe candidate runs `cargo test` there; you grade it with `lab grade {}`.",
        scenario.id,
        dir.display(),
        dir.display()
    )?;
    Ok(())
}

/// `lab grade DIR`: the scorecard; false when the exercise is not solved.
pub fn grade(out: &mut dyn Write, dir: &Path) -> anyhow::Result<bool> {
    let card = homework::grade(dir, None)?;
    write!(out, "{}", card.render())?;
    Ok(card.solved())
}

/// `lab report --out FILE.html [--no-fixes]`.
pub fn report(out: &mut dyn Write, file: &Path, hide_fixes: bool) -> anyhow::Result<()> {
    let mut runs = Vec::with_capacity(REGISTRY.len());
    for scenario in REGISTRY {
        runs.push((*scenario, scenario.run()));
    }
    let page = handout::render(&runs, hide_fixes);
    fs::write(file, page).with_context(|| format!("cannot write {}", file.display()))?;
    writeln!(
        out,
        "Wrote {} ({} scenarios{}).",
        file.display(),
        runs.len(),
        if hide_fixes { ", fixes hidden" } else { "" }
    )?;
    Ok(())
}

/// `lab run <id>`: every variant with its verdict, symptom, transcript and observations.
/// Returns false if a variant's verdict contradicts its role.
pub fn run_human(out: &mut dyn Write, scenario: &Scenario) -> anyhow::Result<bool> {
    let run = scenario.run();
    writeln!(out, "{}: {}", scenario.id, scenario.title)?;
    writeln!(out, "Question: {}", scenario.question)?;
    for result in &run.variants {
        let expected = match result.role {
            Role::Broken => "should show the pitfall",
            Role::Fix => "should not show the pitfall",
        };
        let name = &result.name;
        match &result.outcome {
            Outcome::Skipped(skipped) => {
                writeln!(out, "\n== {name} ({expected}): SKIPPED - {skipped}")?;
            }
            Outcome::Failed(error) => {
                writeln!(out, "\n== {name} ({expected}): FAILED TO RUN - {error}")?;
            }
            Outcome::Ran(report) => {
                let seen = if report.pitfall_observed {
                    "pitfall observed"
                } else {
                    "no pitfall"
                };
                writeln!(out, "\n== {} ({expected}): {seen}", report.name)?;
                writeln!(out, "symptom: {}", report.symptom)?;
                writeln!(out, "transcript:")?;
                for line in &report.transcript {
                    writeln!(out, "  {line}")?;
                }
                writeln!(out, "observations:")?;
                let pretty = serde_json::to_string_pretty(&report.observations)?;
                for line in pretty.lines() {
                    writeln!(out, "  {line}")?;
                }
            }
        }
    }
    let problems = scenario.problems(&run);
    for p in &problems {
        writeln!(out, "\nPROBLEM: {p}")?;
    }
    Ok(problems.is_empty())
}

/// `lab run <id> --json` (one object) and `lab run --all --json` (an array).
pub fn run_json(out: &mut dyn Write, scenarios: &[&Scenario], array: bool) -> anyhow::Result<bool> {
    let mut runs = Vec::with_capacity(scenarios.len());
    let mut ok = true;
    for scenario in scenarios {
        let run = scenario.run();
        ok &= scenario.problems(&run).is_empty();
        runs.push(run);
    }
    let text = if array {
        serde_json::to_string_pretty(&runs)?
    } else {
        serde_json::to_string_pretty(&runs[0])?
    };
    writeln!(out, "{text}")?;
    Ok(ok)
}

/// `lab bench <id>`: the scenario's benchmark table.
pub fn bench(
    out: &mut dyn Write,
    scenario: &Scenario,
    options: &BenchOptions,
) -> anyhow::Result<()> {
    let Some(bench) = scenario.bench else {
        anyhow::bail!("scenario `{}` has no benchmark", scenario.id);
    };
    if cfg!(debug_assertions) {
        writeln!(
            out,
            "note: this is a debug build; measure with `cargo run --release -- bench {}`",
            scenario.id
        )?;
    }
    writeln!(out, "{}: {}\n", scenario.id, scenario.title)?;
    let (table, notes) = bench(options)?;
    write!(out, "{table}")?;
    for note in notes {
        writeln!(out, "{note}")?;
    }
    Ok(())
}
