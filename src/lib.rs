//! The `lab` CLI as a library: the scenario registry and one function per command, each
//! writing to the output it is given so the binary stays a thin layer over it.

use std::fmt;
use std::io::Write;

use anyhow::Context;
use lab_kit::{BenchOptions, Role, Scenario, ScenarioRun, Table, VariantResult};

/// Every scenario of the lab, in catalogue order. The tidy test checks that this list and
/// the directories under `scenarios/` agree.
pub static REGISTRY: &[&Scenario] = &[
    &double_counted_annotations::SCENARIO,
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

/// The scenario called `id`, or an error naming the (up to three) closest ids.
pub fn find(id: &str) -> Result<&'static Scenario, UnknownScenario> {
    if let Some(scenario) = REGISTRY.iter().find(|s| s.id == id) {
        return Ok(scenario);
    }
    let mut scored: Vec<(f64, &'static str)> = REGISTRY
        .iter()
        .map(|s| (strsim::normalized_damerau_levenshtein(id, s.id), s.id))
        .collect();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(b.1)));
    Err(UnknownScenario {
        id: id.to_owned(),
        suggestions: scored.into_iter().take(3).map(|(_, s)| s).collect(),
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
        let role = scenario.variant(result.name()).map(|v| v.role);
        let cell = match result {
            VariantResult::Ran(report) => match (role, report.pitfall_observed) {
                (Some(Role::Broken), true) => "observed".to_owned(),
                (Some(Role::Broken), false) => format!("{}: NOT reproduced", report.name),
                (_, false) => "holds".to_owned(),
                (_, true) => format!("{}: FAILS", report.name),
            },
            VariantResult::Skipped { name, .. } => format!("{name}: skipped"),
        };
        if role == Some(Role::Broken) {
            broken.push(cell);
        } else {
            fixes.push(cell);
        }
    }
    let summarize = |cells: Vec<String>, good: &str| {
        let total = cells.len();
        let good_count = cells.iter().filter(|c| *c == good).count();
        let mut bad: Vec<String> = cells.into_iter().filter(|c| c != good).collect();
        if bad.is_empty() {
            format!("{good} ({good_count}/{total})")
        } else {
            if good_count > 0 {
                bad.insert(0, format!("{good} {good_count}/{total}"));
            }
            bad.join("; ")
        }
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
        let run = scenario
            .run()
            .with_context(|| format!("scenario {} could not run", scenario.id))?;
        let v = verdict(scenario, &run);
        all_ok &= v.ok;
        let symptom = run
            .variants
            .iter()
            .find_map(|r| match r {
                VariantResult::Ran(report) if report.pitfall_observed => {
                    Some(report.symptom.clone())
                }
                _ => None,
            })
            .unwrap_or_default();
        table.row([scenario.id.to_owned(), v.broken, v.fixes, symptom]);
        for r in &run.variants {
            if let VariantResult::Skipped { name, skipped: why } = r {
                skipped.push(format!("{}/{name}: {why}", scenario.id));
            }
        }
    }
    write!(out, "{table}")?;
    for line in &skipped {
        writeln!(out, "skipped {line}")?;
    }
    writeln!(
        out,
        "\n{}",
        if all_ok {
            "Every broken variant reproduced its pitfall and every fix held."
        } else {
            "Some scenarios did not behave as documented (see above)."
        }
    )?;
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

/// `lab show <id>`: the question and the README.
pub fn show(out: &mut dyn Write, scenario: &Scenario) -> anyhow::Result<()> {
    writeln!(out, "{}: {}\n", scenario.id, scenario.title)?;
    writeln!(out, "Question: {}\n", scenario.question)?;
    write!(out, "{}", scenario.readme)?;
    Ok(())
}

/// `lab run <id>`: every variant with its verdict, symptom, transcript and observations.
/// Returns false if a variant's verdict contradicts its role.
pub fn run_human(out: &mut dyn Write, scenario: &Scenario) -> anyhow::Result<bool> {
    let run = scenario
        .run()
        .with_context(|| format!("scenario {} could not run", scenario.id))?;
    writeln!(out, "{}: {}", scenario.id, scenario.title)?;
    writeln!(out, "Question: {}", scenario.question)?;
    for result in &run.variants {
        let role = scenario.variant(result.name()).map(|v| v.role);
        let expected = match role {
            Some(Role::Broken) => "should show the pitfall",
            _ => "should not show the pitfall",
        };
        match result {
            VariantResult::Skipped { name, skipped } => {
                writeln!(out, "\n== {name} ({expected}): SKIPPED - {skipped}")?;
            }
            VariantResult::Ran(report) => {
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
        let run = scenario
            .run()
            .with_context(|| format!("scenario {} could not run", scenario.id))?;
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
