//! The scenario contract: the descriptor a scenario crate exports and the CLI reads, and
//! the shape of one run (the `--json` interface of DESIGN.md).

use serde::{Deserialize, Serialize};

mod tag;
mod wire;

pub use tag::{Difficulty, Tag};

use crate::need::{Need, NeedUnmet};
use crate::{Report, Table};

/// One pitfall: what it is, its variants, and its benchmark if it has one.
#[derive(Debug)]
pub struct Scenario {
    /// The crate name, kebab case: `double-counted-annotations`.
    pub id: &'static str,
    /// A short title for the catalogue.
    pub title: &'static str,
    /// The question this scenario answers, in one line.
    pub question: &'static str,
    /// What it touches: backends and themes.
    pub tags: &'static [Tag],
    /// How much a reader needs to know to follow it.
    pub difficulty: Difficulty,
    /// The scenario's README, included at compile time so `lab show` needs no files.
    pub readme: &'static str,
    /// The broken variant(s) first, then every fix.
    pub variants: &'static [Variant],
    /// The scenario's benchmark (`lab bench <id>`), if it makes a performance claim.
    pub bench: Option<BenchFn>,
    /// The scenario's Django twin: which facts it must reproduce, or why it has none.
    pub twin: Twin,
}

/// The Django twin (`scenarios/<id>/django/twin.py`), which `scripts/django-twin` runs
/// against Django 5.2 and compares with `lab run <id> --json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Twin {
    /// Observations (top-level keys) the twin must reproduce for every variant that ran,
    /// equal as JSON values.
    Facts(&'static [&'static str]),
    /// The pitfall has no Django form: why (the README says it too).
    Absent(&'static str),
}

/// One way of running the same code path.
#[derive(Debug)]
pub struct Variant {
    /// `broken`, `fixed`, `fixed_<fix>`, ...: also the snapshot name.
    pub name: &'static str,
    /// Whether the variant is expected to show the pitfall.
    pub role: Role,
    /// What it needs beyond SQLite and loopback HTTP. lab-kit checks every need before
    /// the variant runs: one that is not configured skips the variant (never a pass), one
    /// that is configured but broken fails it, with the cause.
    pub needs: &'static [Need],
    /// Builds the variant's world (a fresh database, a server on loopback), runs it and
    /// judges it.
    pub run: fn() -> crate::Result<Report>,
}

/// What a variant is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Written the way a reasonable person writes it; must show the pitfall.
    Broken,
    /// An answer; must not show the pitfall.
    Fix,
}

/// A variant's result: a report, why it could not run on this machine, or why it failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran(Report),
    /// For example: PostgreSQL is not configured. Never counted as passing.
    Skipped(String),
    /// The variant could not produce a report: a need that is configured but broken, or
    /// an error from the variant itself. Counted as a failure.
    Failed(String),
}

/// Options of `lab bench`.
#[derive(Debug, Clone, Default)]
pub struct BenchOptions {
    /// The data size, for benchmarks that take one (`--rows N`).
    pub rows: Option<u64>,
}

/// A scenario's benchmark: a table measured in one run, plus lines that interpret it.
pub type BenchFn = fn(&BenchOptions) -> crate::Result<(Table, Vec<String>)>;

/// One scenario's run: the `lab run <id> --json` object.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioRun {
    pub id: String,
    pub title: String,
    pub tags: Vec<Tag>,
    pub variants: Vec<VariantResult>,
    /// Set when the whole scenario could not run here; `null` otherwise.
    pub skipped: Option<String>,
}

/// One variant in a run: its name and role, and its report, or why it was skipped, or why
/// it failed. In JSON the outcome's fields sit beside `name` and `role`:
/// `{"name", "role", "pitfall_observed", "symptom", "observations", "transcript"}`,
/// `{"name", "role", "skipped"}` or `{"name", "role", "error"}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(into = "wire::Variant", from = "wire::Variant")]
pub struct VariantResult {
    pub name: String,
    pub role: Role,
    pub outcome: Outcome,
}

impl VariantResult {
    /// The variant's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The report, if the variant ran.
    pub fn report(&self) -> Option<&Report> {
        match &self.outcome {
            Outcome::Ran(report) => Some(report),
            _ => None,
        }
    }

    /// What is wrong with this result, if anything: a broken variant that did not show
    /// the pitfall, a fix that did, or a variant that failed to run. Skipped variants are
    /// not judged (they are listed as skipped, never counted as passing).
    pub fn problem(&self) -> Option<String> {
        match (&self.outcome, self.role) {
            (Outcome::Ran(r), Role::Broken) if !r.pitfall_observed => Some(format!(
                "{}: the broken variant did not reproduce the pitfall",
                self.name
            )),
            (Outcome::Ran(r), Role::Fix) if r.pitfall_observed => {
                Some(format!("{}: the fix still shows the pitfall", self.name))
            }
            (Outcome::Failed(why), _) => Some(format!("{}: failed to run: {why}", self.name)),
            _ => None,
        }
    }
}

impl Variant {
    /// Checks the variant's needs, then runs it. Never panics on a variant's error: a
    /// failure becomes [`Outcome::Failed`] so the other variants still run and report.
    pub fn outcome(&self, scenario_id: &str) -> Outcome {
        for need in self.needs {
            match need.check() {
                Ok(()) => {}
                Err(NeedUnmet::NotConfigured(why)) => {
                    return Outcome::Skipped(format!(
                        "{why}; run `scripts/with-postgres cargo run -- run {scenario_id}`"
                    ));
                }
                Err(NeedUnmet::Broken(why)) => return Outcome::Failed(why),
            }
        }
        match (self.run)() {
            Ok(mut report) => {
                self.name.clone_into(&mut report.name);
                Outcome::Ran(report)
            }
            Err(error) => Outcome::Failed(crate::error_chain(&error)),
        }
    }
}

impl Scenario {
    /// Runs every variant in order. A variant that fails is recorded as failed and the
    /// others still run: one broken need never hides the rest of the lab.
    pub fn run(&self) -> ScenarioRun {
        let variants: Vec<VariantResult> = self
            .variants
            .iter()
            .map(|variant| VariantResult {
                name: variant.name.to_owned(),
                role: variant.role,
                outcome: variant.outcome(self.id),
            })
            .collect();
        let skipped = variants
            .iter()
            .all(|v| matches!(v.outcome, Outcome::Skipped(_)))
            .then(|| "every variant was skipped".to_owned());
        ScenarioRun {
            id: self.id.to_owned(),
            title: self.title.to_owned(),
            tags: self.tags.to_vec(),
            variants,
            skipped,
        }
    }

    /// The variant called `name`.
    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// What is wrong with a run: a broken variant that did not show the pitfall, a fix
    /// that did, a variant that failed. Empty when the scenario behaves as it claims.
    pub fn problems(&self, run: &ScenarioRun) -> Vec<String> {
        run.variants
            .iter()
            .filter_map(VariantResult::problem)
            .collect()
    }
}
