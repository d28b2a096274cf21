//! `lab report`: one self-contained HTML page for a workshop (inline CSS and SVG, no
//! script, no network): per scenario the question, the symptom, the variants' transcripts
//! side by side, their verdicts, and a chart where a variant reports numbers.

use std::fmt::Write as _;

use lab_kit::{Outcome, Role, Scenario, ScenarioRun};

mod chart;

pub use chart::bar_chart;

const STYLE: &str = "
body { font: 15px/1.45 system-ui, sans-serif; margin: 0; color: #1d2430; background: #f6f7f9; }
header, main { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 24px; }
h1 { margin: 0 0 4px; }
nav ul { padding-left: 18px; }
section.scenario { background: #fff; border: 1px solid #d9dde3; border-radius: 8px; margin: 24px 0; padding: 8px 20px 20px; }
p.question { font-style: italic; }
p.symptom { border-left: 4px solid #c0392b; padding-left: 10px; }
div.variants { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 16px; }
article.variant { border: 1px solid #d9dde3; border-radius: 6px; padding: 8px 12px; min-width: 0; }
article.broken { background: #fff6f5; }
article.fix { background: #f4fbf6; }
article.hidden { background: #f0f1f4; color: #5b6270; }
h3 { margin: 4px 0 8px; font-size: 16px; }
span.verdict { font-size: 12px; padding: 2px 8px; border-radius: 10px; margin-left: 8px; color: #fff; }
span.observed { background: #c0392b; } span.clean { background: #1e8449; }
span.skipped { background: #7f8c8d; } span.unexpected { background: #8e44ad; }
pre { white-space: pre-wrap; word-break: break-word; font-size: 12px; background: #fbfbfc; border: 1px solid #e3e6ea; padding: 8px; max-height: 420px; overflow: auto; }
svg text { font: 11px system-ui, sans-serif; fill: #1d2430; }
p.skipped { color: #5b6270; font-size: 13px; }
@media print {
  body { background: #fff; font-size: 11px; }
  section.scenario { border: none; padding: 0; margin: 12px 0; break-before: page; }
  div.variants { display: block; }
  article.variant { break-inside: avoid; margin-bottom: 8px; }
  pre { max-height: none; overflow: visible; font-size: 9px; }
  nav { display: none; }
}
";

/// The page for `runs` (one per scenario, in catalogue order). With `hide_fixes`, fixed
/// variants are named but their symptoms, transcripts and charts are left out, for the
/// exercise part of a workshop.
pub fn render(runs: &[(&Scenario, ScenarioRun)], hide_fixes: bool) -> String {
    let mut html = String::new();
    html.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    html.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    html.push_str("<title>Pitfall Lab - workshop handout</title>\n");
    let _ = write!(html, "<style>{STYLE}</style>\n</head>\n<body>\n<header>\n");
    html.push_str("<h1>Pitfall Lab</h1>\n<p>Each pitfall below was reproduced for real when this page was made: the broken variant beside its fixes, with what the database or server returned.");
    if hide_fixes {
        html.push_str(" The fixes are hidden: work them out first.");
    }
    html.push_str("</p>\n<nav><ul>\n");
    for (scenario, _) in runs {
        let _ = writeln!(
            html,
            "<li><a href=\"#{id}\">{id}</a>: {title}</li>",
            id = escape(scenario.id),
            title = escape(scenario.title)
        );
    }
    html.push_str("</ul></nav>\n</header>\n<main>\n");
    for (scenario, run) in runs {
        render_scenario(&mut html, scenario, run, hide_fixes);
    }
    html.push_str("</main>\n</body>\n</html>\n");
    html
}

fn render_scenario(html: &mut String, scenario: &Scenario, run: &ScenarioRun, hide_fixes: bool) {
    let names = crate::homework::Names::of(scenario);
    let _ = writeln!(
        html,
        "<section class=\"scenario\" id=\"{}\">",
        escape(scenario.id)
    );
    let _ = writeln!(
        html,
        "<h2>{} <small>({})</small></h2>",
        escape(scenario.title),
        escape(scenario.id)
    );
    let _ = writeln!(
        html,
        "<p class=\"question\">{}</p>",
        escape(scenario.question)
    );
    let symptom = run
        .variants
        .iter()
        .find_map(|v| v.report().filter(|r| r.pitfall_observed))
        .map(|r| r.symptom.as_str());
    if let Some(symptom) = symptom {
        let _ = writeln!(
            html,
            "<p class=\"symptom\">Symptom: {}</p>",
            escape(symptom)
        );
    }
    html.push_str("<div class=\"variants\">\n");
    for result in &run.variants {
        let role = result.role;
        let class = if role == Role::Broken {
            "broken"
        } else {
            "fix"
        };
        if hide_fixes && role == Role::Fix {
            let _ = writeln!(
                html,
                "<article class=\"variant hidden\"><h3>{}</h3><p>Fix hidden for the exercise.</p></article>",
                escape(&names.apply(&result.name).replace('_', " "))
            );
            continue;
        }
        let name = &result.name;
        match &result.outcome {
            Outcome::Skipped(_) => {}
            Outcome::Failed(error) => {
                let _ = writeln!(
                    html,
                    "<article class=\"variant {class}\"><h3>{}<span class=\"verdict unexpected\">failed to run</span></h3><p>{}</p></article>",
                    escape(name),
                    escape(error)
                );
            }
            Outcome::Ran(report) => {
                let expected = (role == Role::Broken) == report.pitfall_observed;
                let (badge, label) = match (report.pitfall_observed, expected) {
                    (true, true) => ("observed", "pitfall observed"),
                    (false, true) => ("clean", "no pitfall"),
                    (true, false) => ("unexpected", "fix FAILED"),
                    (false, false) => ("unexpected", "NOT reproduced"),
                };
                let _ = writeln!(
                    html,
                    "<article class=\"variant {class}\"><h3>{}<span class=\"verdict {badge}\">{label}</span></h3>",
                    escape(&report.name)
                );
                let _ = writeln!(html, "<p>{}</p>", escape(&report.symptom));
                if let Some(chart) = report.chart() {
                    html.push_str(&bar_chart(&chart));
                }
                let _ = writeln!(html, "<pre>{}</pre>", escape(&report.transcript.join("\n")));
                html.push_str("</article>\n");
            }
        }
    }
    html.push_str("</div>\n");
    // Variants that need PostgreSQL, when it is not configured: one line, not a card each.
    let skipped: Vec<String> = run
        .variants
        .iter()
        .filter(|v| matches!(v.outcome, Outcome::Skipped(_)))
        .filter(|v| !(hide_fixes && v.role == Role::Fix))
        .map(|v| v.name.clone())
        .collect();
    if !skipped.is_empty() {
        let _ = writeln!(
            html,
            "<p class=\"skipped\">Not run when this page was made (they need PostgreSQL): {}. \
             <code>scripts/with-postgres cargo run -- report --out FILE</code> includes them.</p>",
            escape(&skipped.join(", "))
        );
    }
    html.push_str("</section>\n");
}

/// Escapes text for HTML element content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// `lab report --out FILE [--no-fixes] [--force]`: runs `scenarios` and writes the page.
/// An existing file is kept unless `force`, like `lab homework` keeps a non-empty directory.
pub fn report(
    out: &mut dyn std::io::Write,
    scenarios: &[&Scenario],
    file: &std::path::Path,
    hide_fixes: bool,
    force: bool,
) -> anyhow::Result<()> {
    use anyhow::Context;
    if file.is_dir() {
        anyhow::bail!("{} is a directory; give a file name", file.display());
    }
    if file.exists() && !force {
        anyhow::bail!(
            "{} exists; choose another name or pass --force to replace it",
            file.display()
        );
    }
    let runs: Vec<_> = scenarios.iter().map(|s| (*s, s.run())).collect();
    let page = render(&runs, hide_fixes);
    std::fs::write(file, page).with_context(|| format!("cannot write {}", file.display()))?;
    writeln!(
        out,
        "Wrote {} ({} scenarios{}).",
        file.display(),
        runs.len(),
        if hide_fixes { ", fixes hidden" } else { "" }
    )?;
    Ok(())
}
