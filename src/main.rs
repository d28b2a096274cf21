//! `lab`: run the Pitfall Lab's scenarios, show them, benchmark them.

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use lab_kit::BenchOptions;
use pitfall_lab::{REGISTRY, bench, catalogue, find, handout, homework, run, scaffold, term, tour};

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
    /// A scenario's README, rendered for the terminal.
    Show {
        /// The scenario id, e.g. double-counted-annotations.
        id: String,
        /// Show the interviewer's rubric instead of the README.
        #[arg(long)]
        rubric: bool,
        /// Print the Markdown as it is.
        #[arg(long)]
        raw: bool,
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
        /// Put hints 1..N into the exercise's README.
        #[arg(long, default_value_t = 0)]
        hints: usize,
    },
    /// Grade an exported exercise in a copy: the lab's checks against its fix files.
    Grade {
        /// The exercise's directory (left untouched).
        dir: PathBuf,
        /// Refuse to grade when no sandbox can contain the candidate's code.
        #[arg(long)]
        require_sandbox: bool,
    },
    /// Write the workshop handout: one self-contained HTML page.
    Report {
        /// The HTML file to write.
        #[arg(long)]
        out: PathBuf,
        /// Hide the fixes, for the exercise part of a workshop.
        #[arg(long)]
        no_fixes: bool,
        /// Replace the file if it exists.
        #[arg(long)]
        force: bool,
    },
    /// Run a scenario's variants and print their reports.
    Run {
        /// The scenario id (omit with --all).
        #[arg(required_unless_present = "all", conflicts_with = "all")]
        id: Option<String>,
        /// Run every scenario.
        #[arg(long)]
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
    /// Start a new scenario from the template (for contributors).
    New {
        /// The new scenario's id: lower-case words joined by hyphens.
        id: String,
    },
    /// What a scenario's Django twin must reproduce, as JSON (for scripts/django-twin).
    #[command(hide = true)]
    TwinFacts {
        /// The scenario id.
        id: String,
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
            eprintln!("error: {}", lab_kit::error_chain(error.as_ref()));
            ExitCode::from(2)
        }
    }
}

/// Runs one command; `Ok(false)` means it ran but a verdict was wrong (or, for `grade`,
/// the exercise is not solved).
fn dispatch(command: Command, out: &mut dyn Write) -> anyhow::Result<bool> {
    let width = term::width();
    match command {
        Command::Tour => tour::tour(out, REGISTRY, width),
        Command::List => catalogue::list(out, REGISTRY, width).map(|()| true),
        Command::Show { id, rubric, raw } => {
            catalogue::show(out, find(&id)?, rubric, raw, width).map(|()| true)
        }
        Command::Hint { id, n } => catalogue::hint(out, find(&id)?, n, width).map(|()| true),
        Command::Homework {
            id,
            out: dir,
            hints,
        } => {
            let scenario = find(&id)?;
            let manifest = homework::export(scenario, &dir, hints)?;
            writeln!(out, "Wrote the exercise for {id} to {}.", dir.display())?;
            writeln!(out, "The candidate changes: {}.", manifest.yours.join(", "))?;
            writeln!(
                out,
                "They run `cargo run` and `cargo test` there; the task is its README.md."
            )?;
            writeln!(
                out,
                "Grade their work here, in the lab: cargo run -- grade {}",
                dir.display()
            )?;
            Ok(true)
        }
        Command::Grade {
            dir,
            require_sandbox,
        } => {
            let options = homework::GradeOptions {
                require_sandbox,
                ..homework::GradeOptions::default()
            };
            let card = homework::grade(&dir, &options)?;
            write!(out, "{}", card.render())?;
            Ok(card.solved())
        }
        Command::Report {
            out: file,
            no_fixes,
            force,
        } => handout::report(out, REGISTRY, &file, no_fixes, force).map(|()| true),
        Command::Run {
            all: true, json, ..
        } => {
            if json {
                run::json(out, REGISTRY, true)
            } else {
                run::human(out, REGISTRY, width)
            }
        }
        Command::Run { id, json, .. } => {
            let id = id.expect("clap requires an id unless --all is given");
            let scenario = find(&id)?;
            if json {
                run::json(out, &[scenario], false)
            } else {
                run::human(out, &[scenario], width)
            }
        }
        Command::Bench { id, rows } => {
            bench::bench(out, find(&id)?, &BenchOptions { rows }, width).map(|()| true)
        }
        Command::New { id } => scaffold::new_in_lab(out, &id).map(|()| true),
        Command::TwinFacts { id } => {
            let scenario = find(&id)?;
            let postgres = scenario
                .variants
                .iter()
                .any(|v| v.needs.contains(&lab_kit::Need::Postgres));
            let value = match scenario.twin {
                lab_kit::Twin::Facts(facts) => {
                    serde_json::json!({"id": id, "facts": facts, "postgres": postgres})
                }
                lab_kit::Twin::Absent(why) => {
                    serde_json::json!({"id": id, "absent": why, "postgres": false})
                }
            };
            writeln!(out, "{value}")?;
            Ok(true)
        }
    }
}
