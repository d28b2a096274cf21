//! `lab` / `lab tour`: every scenario's variants run, one verdict line per scenario.

use std::io::Write;

use lab_kit::{Outcome, Role, Scenario, ScenarioRun, Table};

use crate::term;

/// One scenario's verdict cells: broken observed?, fixes hold?, and what went wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// `observed 1/1`, `observed 1/1 +1 pg`, `NOT reproduced 0/1`, ...
    pub broken: String,
    /// `hold 2/2`, `hold 2/2 +4 pg`, `FAIL 1/2`, ...
    pub fixes: String,
    /// Every variant that ran behaved as its role says, and none failed to run.
    pub ok: bool,
}

/// The cells of `run`: counts over the variants that ran, each side's skipped variants as
/// `+N pg` (they need PostgreSQL, which is not configured: never a pass, never a failure).
pub fn verdict(run: &ScenarioRun) -> Verdict {
    let side = |role: Role, good_word: &str, bad_word: &str| {
        let results: Vec<_> = run.variants.iter().filter(|v| v.role == role).collect();
        let mut good = 0;
        let mut ran = 0;
        let mut skipped = 0;
        let mut failed = 0;
        for r in &results {
            match &r.outcome {
                Outcome::Ran(_) if r.problem().is_none() => {
                    good += 1;
                    ran += 1;
                }
                Outcome::Ran(_) => ran += 1,
                Outcome::Skipped(_) => skipped += 1,
                Outcome::Failed(_) => failed += 1,
            }
        }
        let mut cell = if good == ran {
            format!("{good_word} {good}/{ran}")
        } else {
            format!("{bad_word} {}/{ran}", ran - good)
        };
        if failed > 0 {
            cell = format!("ERROR {failed}, {cell}");
        }
        if skipped > 0 {
            cell.push_str(&format!(" +{skipped} pg"));
        }
        cell
    };
    Verdict {
        broken: side(Role::Broken, "observed", "NOT reproduced"),
        fixes: side(Role::Fix, "hold", "FAIL"),
        ok: run.variants.iter().all(|v| v.problem().is_none()),
    }
}

/// `lab tour` over `scenarios`: a verdict table fitted to `width`, then what went wrong and
/// what was skipped. Returns false if any scenario misbehaved or failed to run; every
/// scenario runs whatever happened to the ones before it.
pub fn tour(out: &mut dyn Write, scenarios: &[&Scenario], width: usize) -> anyhow::Result<bool> {
    let title = format!(
        "Pitfall Lab tour: {} scenarios, each broken variant beside its fixes",
        scenarios.len()
    );
    for line in term::wrap(&title, width, "", "  ") {
        writeln!(out, "{line}")?;
    }
    writeln!(out)?;
    let mut table = Table::new(["scenario", "broken", "fixes", "symptom (broken)"]);
    let mut all_ok = true;
    let mut problems = Vec::new();
    let mut skipped = Vec::new();
    for scenario in scenarios {
        let run = scenario.run();
        let v = verdict(&run);
        all_ok &= v.ok;
        let symptom = run
            .variants
            .iter()
            .find_map(|r| r.report().filter(|r| r.pitfall_observed))
            .map(|r| r.symptom.clone())
            .unwrap_or_default();
        table.row([scenario.id.to_owned(), v.broken, v.fixes, symptom]);
        problems.extend(
            run.variants
                .iter()
                .filter_map(lab_kit::VariantResult::problem)
                .map(|p| format!("{}: {p}", scenario.id)),
        );
        let names: Vec<&str> = run
            .variants
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Skipped(_)))
            .map(|r| r.name.as_str())
            .collect();
        if !names.is_empty() {
            skipped.push(format!("{} ({})", scenario.id, names.join(", ")));
        }
    }
    write!(out, "{}", table.fit(width))?;
    if !problems.is_empty() {
        writeln!(out, "\nProblems:")?;
        for p in &problems {
            for line in term::wrap(p, width, "  ", "    ") {
                writeln!(out, "{line}")?;
            }
        }
    }
    if !skipped.is_empty() {
        let text = format!(
            "+N pg: N variants need PostgreSQL, which is not configured, so they did not run \
             (never counted as passing): {}. `scripts/with-postgres cargo run` runs them.",
            skipped.join("; ")
        );
        writeln!(out)?;
        for line in term::wrap(&text, width, "", "  ") {
            writeln!(out, "{line}")?;
        }
    }
    let verdict = match (all_ok, skipped.is_empty()) {
        (true, true) => "Every broken variant reproduced its pitfall and every fix held.",
        (true, false) => "Every variant that ran behaved as documented.",
        (false, _) => "Some scenarios did not behave as documented (see Problems).",
    };
    writeln!(out)?;
    for line in term::wrap(verdict, width, "", "  ") {
        writeln!(out, "{}", term::paint(&line, all_ok, term::colour()))?;
    }
    let next =
        "Study one: cargo run -- run <id>, cargo test -p <id>. The catalogue: cargo run -- list";
    for line in term::wrap(next, width, "", "  ") {
        writeln!(out, "{line}")?;
    }
    Ok(all_ok)
}
