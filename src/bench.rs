//! `lab bench <id>`: a scenario's benchmark, printed as one table measured in one run.

use std::io::Write;

use lab_kit::{BenchOptions, Scenario};

/// Runs the benchmark and prints its table and notes. Nothing is printed before the
/// benchmark has accepted its options, so bad input gets only the error.
pub fn bench(
    out: &mut dyn Write,
    scenario: &Scenario,
    options: &BenchOptions,
    width: usize,
) -> anyhow::Result<()> {
    let Some(bench) = scenario.bench else {
        anyhow::bail!("scenario `{}` has no benchmark", scenario.id);
    };
    let (table, notes) = bench(options).map_err(|e| anyhow::anyhow!(lab_kit::error_chain(&e)))?;
    if cfg!(debug_assertions) {
        writeln!(
            out,
            "note: this is a debug build; measure with `cargo run --release -- bench {}`",
            scenario.id
        )?;
    }
    writeln!(out, "{}: {}\n", scenario.id, scenario.title)?;
    write!(out, "{}", table.fit(width))?;
    for note in notes {
        for line in crate::term::wrap(&note, width, "", "  ") {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}
