//! `lab`: run the Pitfall Lab's scenarios, show them, benchmark them.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lab_kit::BenchOptions;
use pitfall_lab::{REGISTRY, find};

/// Counts heap bytes so performance scenarios can report the peak of a code path (`lab
/// run` observations, `lab bench` tables). Variants run one after another in this process,
/// so a peak belongs to the variant that was running.
#[global_allocator]
static ALLOC: lab_kit::measure::CountingAlloc = lab_kit::measure::CountingAlloc;

/// Runnable answers to classic web and database pitfalls.
#[derive(Debug, Parser)]
#[command(name = "lab", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Run every scenario and print one verdict line each (the default).
    Tour,
    /// The catalogue: id, title, tags, difficulty.
    List,
    /// A scenario's question and README.
    Show {
        /// The scenario id, e.g. double-counted-annotations.
        id: String,
        /// Show the interviewer's rubric instead of the README.
        #[arg(long)]
        rubric: bool,
    },
    /// A hint for a scenario, from the gentlest (1) to the near-answer.
    Hint {
        /// The scenario id.
        id: String,
        /// Which hint (default 1).
        n: Option<usize>,
    },
    /// Write a scenario as a standalone exercise, without the answer.
    Homework {
        /// The scenario id.
        id: String,
        /// The directory to write; it must not exist or be empty.
        #[arg(long)]
        out: PathBuf,
    },
    /// Grade an exported exercise: run the lab's tests against its fixed variant.
    Grade {
        /// The exercise's directory.
        dir: PathBuf,
    },
    /// Write the workshop handout: one self-contained HTML page.
    Report {
        /// The HTML file to write.
        #[arg(long)]
        out: PathBuf,
        /// Hide the fixes, for the exercise part of a workshop.
        #[arg(long)]
        no_fixes: bool,
    },
    /// Run a scenario's variants and print their reports.
    Run {
        /// The scenario id (omit with --all).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<String>,
        /// Run every scenario (needs --json).
        #[arg(long, requires = "json")]
        all: bool,
        /// Print the report as JSON (one object, or an array with --all).
        #[arg(long)]
        json: bool,
    },
    /// Run a scenario's benchmark and print the table.
    Bench {
        /// The scenario id.
        id: String,
        /// The data size, for benchmarks that take one.
        #[arg(long)]
        rows: Option<u64>,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let stdout = io::stdout();
    let mut out = stdout.lock();
    let result = dispatch(cli.command.unwrap_or(Command::Tour), &mut out);
    let _ = out.flush();
    match result {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(error) => {
            // A reader that closed the pipe (`lab run x | head`) is not an error.
            if error
                .downcast_ref::<io::Error>()
                .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
            {
                return ExitCode::SUCCESS;
            }
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(false)` means it ran but a verdict was wrong.
fn dispatch(command: Command, out: &mut dyn Write) -> anyhow::Result<bool> {
    match command {
        Command::Tour => pitfall_lab::tour(out),
        Command::List => pitfall_lab::list(out).map(|()| true),
        Command::Show { id, rubric } => pitfall_lab::show(out, find(&id)?, rubric).map(|()| true),
        Command::Hint { id, n } => pitfall_lab::hint(out, find(&id)?, n).map(|()| true),
        Command::Homework { id, out: dir } => {
            pitfall_lab::homework(out, find(&id)?, &dir).map(|()| true)
        }
        Command::Grade { dir } => pitfall_lab::grade(out, &dir),
        Command::Report {
            out: file,
            no_fixes,
        } => pitfall_lab::report(out, &file, no_fixes).map(|()| true),
        Command::Run { all: true, .. } => pitfall_lab::run_json(out, REGISTRY, true),
        Command::Run { id, json, .. } => {
            let id = id.expect("clap requires an id unless --all is given");
            let scenario = find(&id)?;
            if json {
                pitfall_lab::run_json(out, &[scenario], false)
            } else {
                pitfall_lab::run_human(out, scenario)
            }
        }
        Command::Bench { id, rows } => {
            pitfall_lab::bench(out, find(&id)?, &BenchOptions { rows }).map(|()| true)
        }
    }
}
