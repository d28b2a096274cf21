//! Test helpers every scenario shares: run a variant through the same code path as `lab
//! run` (needs checked, name set) and assert its verdict from its role, failing with one
//! readable paragraph - the symptom and the transcript - instead of a dump of the report.

use crate::{Outcome, Report, Role, Scenario};

/// Runs the variant `name` of `scenario` and asserts its verdict: a broken variant must
/// show the pitfall, a fix must not. Returns the report for further assertions and the
/// snapshot ([`check!`](crate::check) does both).
///
/// # Panics
/// When the variant is not registered, could not run (a skipped PostgreSQL variant says
/// which command runs it), or its verdict contradicts its role.
#[track_caller]
pub fn verdict(scenario: &Scenario, name: &str) -> Report {
    let Some(variant) = scenario.variant(name) else {
        let names: Vec<&str> = scenario.variants.iter().map(|v| v.name).collect();
        panic!(
            "{} has no variant `{name}`; it has {}",
            scenario.id,
            names.join(", ")
        );
    };
    let report = match variant.outcome(scenario.id) {
        Outcome::Ran(report) => report,
        Outcome::Skipped(why) => panic!("{name} cannot run here: {why}"),
        Outcome::Failed(why) => panic!("{name} failed to run: {why}"),
    };
    let expected = variant.role == Role::Broken;
    if report.pitfall_observed != expected {
        panic!("{}", explain(name, variant.role, &report));
    }
    report
}

/// The paragraph a wrong verdict fails with.
pub fn explain(name: &str, role: Role, report: &Report) -> String {
    let what = match role {
        Role::Broken => "did not show the pitfall",
        Role::Fix => "showed the pitfall",
    };
    let mut text = format!("{name} {what}: {}\n\ntranscript:\n", report.symptom);
    for line in &report.transcript {
        text.push_str("  ");
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Asserts a variant's verdict ([`verdict`]) and snapshots its report under the
/// variant's name: `lab_kit::check!(SCENARIO, "broken")`. The calling test crate needs
/// `insta` (with the `yaml` feature) as a dev-dependency.
#[macro_export]
macro_rules! check {
    ($scenario:expr, $name:expr) => {{
        let report = $crate::testing::verdict(&$scenario, $name);
        ::insta::assert_yaml_snapshot!($name, report);
        report
    }};
}

/// What an exercise's `cargo run` prints: every variant's verdict, symptom and transcript
/// on the code as it is now. Exit code 0 when every variant behaved as its role says.
pub fn print_reports(scenario: &Scenario, out: &mut dyn std::io::Write) -> std::process::ExitCode {
    let run = scenario.run();
    let mut ok = true;
    // A closed pipe ends the printing early; the exit code still tells the verdict.
    let _ = (|| -> std::io::Result<()> {
        writeln!(out, "{}: {}", scenario.id, scenario.question)?;
        for result in &run.variants {
            let expected = match result.role {
                Role::Broken => "should show the pitfall",
                Role::Fix => "should not show the pitfall",
            };
            let seen = match &result.outcome {
                Outcome::Ran(r) if r.pitfall_observed => "pitfall observed".to_owned(),
                Outcome::Ran(_) => "no pitfall".to_owned(),
                Outcome::Skipped(why) => format!("skipped: {why}"),
                Outcome::Failed(why) => format!("FAILED TO RUN: {why}"),
            };
            let verdict = if result.problem().is_some() {
                "  <-- not yet"
            } else {
                ""
            };
            writeln!(out, "\n== {} ({expected}): {seen}{verdict}", result.name)?;
            if let Outcome::Ran(report) = &result.outcome {
                writeln!(out, "symptom: {}", report.symptom)?;
                for line in &report.transcript {
                    writeln!(out, "  {line}")?;
                }
            }
            ok &= result.problem().is_none();
        }
        Ok(())
    })();
    if ok {
        std::process::ExitCode::SUCCESS
    } else {
        std::process::ExitCode::from(1)
    }
}
