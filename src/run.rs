//! `lab run <id>` for people (verdict, symptom, transcript, observations as `key: value`
//! lines and a text bar chart, all fitted to the terminal) and `--json` for machines.

use std::io::Write;

use lab_kit::{Chart, Outcome, Role, Scenario};
use serde_json::Value;

use crate::term;

/// `lab run <id>` (and `lab run --all`) for people. Returns false if a variant's verdict
/// contradicts its role or a variant failed to run.
pub fn human(out: &mut dyn Write, scenarios: &[&Scenario], width: usize) -> anyhow::Result<bool> {
    let colour = term::colour();
    let mut ok = true;
    for (i, scenario) in scenarios.iter().enumerate() {
        if i > 0 {
            writeln!(out, "\n{}", "=".repeat(width.min(80)))?;
        }
        let run = scenario.run();
        for line in term::wrap(
            &format!("{}: {}", scenario.id, scenario.title),
            width,
            "",
            "  ",
        ) {
            writeln!(out, "{line}")?;
        }
        for line in term::wrap(scenario.question, width, "Question: ", "  ") {
            writeln!(out, "{line}")?;
        }
        for result in &run.variants {
            let expected = match result.role {
                Role::Broken => "should show the pitfall",
                Role::Fix => "should not show the pitfall",
            };
            let (seen, good) = match &result.outcome {
                Outcome::Ran(r) if r.pitfall_observed => {
                    ("pitfall observed", result.problem().is_none())
                }
                Outcome::Ran(_) => ("no pitfall", result.problem().is_none()),
                Outcome::Skipped(_) => ("SKIPPED", true),
                Outcome::Failed(_) => ("FAILED TO RUN", false),
            };
            let head = format!("== {} ({expected}):", result.name);
            let painted = term::paint(seen, good, colour);
            if head.chars().count() + 1 + seen.len() <= width {
                writeln!(out, "\n{head} {painted}")?;
            } else {
                writeln!(out)?;
                for line in term::wrap(&head, width, "", "   ") {
                    writeln!(out, "{line}")?;
                }
                writeln!(out, "   {painted}")?;
            }
            match &result.outcome {
                Outcome::Skipped(why) | Outcome::Failed(why) => {
                    for line in term::wrap(why, width, "  ", "  ") {
                        writeln!(out, "{line}")?;
                    }
                }
                Outcome::Ran(report) => {
                    for line in term::wrap(&report.symptom, width, "symptom: ", "  ") {
                        writeln!(out, "{line}")?;
                    }
                    writeln!(out, "transcript:")?;
                    for entry in &report.transcript {
                        for line in term::wrap(entry, width, "  ", "      ") {
                            writeln!(out, "{line}")?;
                        }
                    }
                    writeln!(out, "observations:")?;
                    for line in observations(&report.observations, width) {
                        writeln!(out, "{line}")?;
                    }
                    if let Some(chart) = report.chart() {
                        for line in text_chart(&chart, width) {
                            writeln!(out, "{line}")?;
                        }
                    }
                }
            }
        }
        let problems = scenario.problems(&run);
        for p in &problems {
            writeln!(
                out,
                "\n{}",
                term::paint(&format!("PROBLEM: {p}"), false, colour)
            )?;
        }
        ok &= problems.is_empty();
    }
    Ok(ok)
}

/// `lab run <id> --json` (one object) and `lab run --all --json` (an array).
pub fn json(out: &mut dyn Write, scenarios: &[&Scenario], array: bool) -> anyhow::Result<bool> {
    let runs: Vec<_> = scenarios.iter().map(|s| s.run()).collect();
    let ok = scenarios
        .iter()
        .zip(&runs)
        .all(|(s, r)| s.problems(r).is_empty());
    let text = match (array, runs.first()) {
        (false, Some(run)) => serde_json::to_string_pretty(run)?,
        _ => serde_json::to_string_pretty(&runs)?,
    };
    writeln!(out, "{text}")?;
    Ok(ok)
}

/// The observations as aligned `key: value` lines (the chart apart): nested objects as
/// `key.sub`, lists of plain values joined, lists of objects one `- k=v, ...` line each.
pub fn observations(observations: &serde_json::Map<String, Value>, width: usize) -> Vec<String> {
    let mut pairs = Vec::new();
    for (key, value) in observations {
        if key != "chart" {
            flatten(key, value, &mut pairs);
        }
    }
    let key_width = pairs
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0)
        .min(28);
    let mut lines = Vec::new();
    for (key, items) in pairs {
        match items {
            Flat::One(text) => {
                let first = format!("  {:<w$} ", format!("{key}:"), w = key_width + 1);
                let rest = " ".repeat(key_width + 4);
                lines.extend(term::wrap(&text, width, &first, &rest));
            }
            Flat::Rows(rows) => {
                lines.push(format!("  {key}:"));
                for row in rows {
                    lines.extend(term::wrap(&row, width, "    - ", "      "));
                }
            }
        }
    }
    lines
}

enum Flat {
    One(String),
    Rows(Vec<String>),
}

fn flatten(key: &str, value: &Value, out: &mut Vec<(String, Flat)>) {
    match value {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                flatten(&format!("{key}.{k}"), v, out);
            }
        }
        Value::Array(items) if items.iter().any(|v| v.is_object() || v.is_array()) => {
            out.push((
                key.to_owned(),
                Flat::Rows(items.iter().map(inline).collect()),
            ));
        }
        Value::Array(items) if items.is_empty() => {
            out.push((key.to_owned(), Flat::One("(none)".into())));
        }
        Value::Array(items) => {
            let joined: Vec<String> = items.iter().map(inline).collect();
            out.push((key.to_owned(), Flat::One(joined.join(", "))));
        }
        other => out.push((key.to_owned(), Flat::One(inline(other)))),
    }
}

/// One value on one line: strings bare, objects as `k=v, k=v`, lists in brackets.
fn inline(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".to_owned(),
        Value::Object(map) => map
            .iter()
            .map(|(k, v)| format!("{k}={}", inline(v)))
            .collect::<Vec<_>>()
            .join(", "),
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(inline).collect::<Vec<_>>().join(", ")
        ),
        other => other.to_string(),
    }
}

/// A chart as text: one bar of `#` per value, scaled to the widest.
pub fn text_chart(chart: &Chart, width: usize) -> Vec<String> {
    let mut lines = term::wrap(&chart.title, width, "chart: ", "  ");
    let label_width = chart
        .bars
        .iter()
        .map(|b| b.label.chars().count())
        .max()
        .unwrap_or(0)
        .min(30);
    let max = chart.bars.iter().map(|b| b.value).fold(0.0_f64, f64::max);
    let room = width.saturating_sub(label_width + 20).clamp(10, 40);
    for bar in &chart.bars {
        #[expect(
            clippy::cast_possible_truncation,
            clippy::cast_sign_loss,
            clippy::cast_precision_loss,
            reason = "a bar's length in characters, clamped to the room on the line"
        )]
        let len = if max > 0.0 {
            ((bar.value / max) * room as f64).round().max(0.0) as usize
        } else {
            0
        };
        let value = if bar.value.fract() == 0.0 {
            format!("{}", bar.value)
        } else {
            format!("{:.1}", bar.value)
        };
        let label = lab_kit::table::cut(&bar.label, label_width);
        lines.push(
            format!(
                "  {label:<label_width$}  {} {value} {}",
                "#".repeat(len),
                chart.unit
            )
            .trim_end()
            .to_owned(),
        );
    }
    lines
}
