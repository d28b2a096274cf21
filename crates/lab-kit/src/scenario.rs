//! The scenario contract: the descriptor a scenario crate exports and the CLI reads, and
//! the shape of one run (the `--json` interface of DESIGN.md).

use serde::{Deserialize, Serialize};

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
}

/// One way of running the same code path.
#[derive(Debug)]
pub struct Variant {
    /// `broken`, `fixed`, `fixed_distinct`, ...: also the snapshot name.
    pub name: &'static str,
    /// Whether the variant is expected to show the pitfall.
    pub role: Role,
    /// Runs the variant against a fresh database / server of its own.
    pub run: fn() -> crate::Result<Outcome>,
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

/// A variant's result: a report, or the reason it could not run on this machine.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Ran(Report),
    /// For example: PostgreSQL is not configured. Never counted as passing.
    Skipped(String),
}

/// Backends and themes, for `lab list` and `--json`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Sqlite,
    Http,
    Postgres,
    Git,
    Concurrency,
    Security,
    Performance,
    Orm,
}

impl Tag {
    /// The name used in `--json` and `lab list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Http => "http",
            Self::Postgres => "postgres",
            Self::Git => "git",
            Self::Concurrency => "concurrency",
            Self::Security => "security",
            Self::Performance => "performance",
            Self::Orm => "orm",
        }
    }
}

/// How much a reader needs to know to follow a scenario.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Difficulty {
    Beginner,
    Intermediate,
    Advanced,
}

impl Difficulty {
    /// The name used in `lab list`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Beginner => "beginner",
            Self::Intermediate => "intermediate",
            Self::Advanced => "advanced",
        }
    }
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

/// One variant in a run: either its report, or why it was skipped.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum VariantResult {
    Ran(Report),
    Skipped { name: String, skipped: String },
}

impl VariantResult {
    /// The variant's name.
    pub fn name(&self) -> &str {
        match self {
            Self::Ran(report) => &report.name,
            Self::Skipped { name, .. } => name,
        }
    }
}

impl Scenario {
    /// Runs every variant in order. A variant that fails to run at all (a database error,
    /// say) stops the run with that error: a lab that cannot run its own code says so.
    pub fn run(&self) -> crate::Result<ScenarioRun> {
        let mut variants = Vec::with_capacity(self.variants.len());
        for variant in self.variants {
            let result = match (variant.run)()? {
                Outcome::Ran(mut report) => {
                    variant.name.clone_into(&mut report.name);
                    VariantResult::Ran(report)
                }
                Outcome::Skipped(why) => VariantResult::Skipped {
                    name: variant.name.to_owned(),
                    skipped: why,
                },
            };
            variants.push(result);
        }
        let skipped = variants
            .iter()
            .all(|v| matches!(v, VariantResult::Skipped { .. }))
            .then(|| "every variant was skipped".to_owned());
        Ok(ScenarioRun {
            id: self.id.to_owned(),
            title: self.title.to_owned(),
            tags: self.tags.to_vec(),
            variants,
            skipped,
        })
    }

    /// The variant called `name`.
    pub fn variant(&self, name: &str) -> Option<&Variant> {
        self.variants.iter().find(|v| v.name == name)
    }

    /// What is wrong with a run: a broken variant that did not show the pitfall, or a fix
    /// that did. Empty when the scenario behaves as it claims; skipped variants are not
    /// judged here (the tour lists them as skipped).
    pub fn problems(&self, run: &ScenarioRun) -> Vec<String> {
        let mut problems = Vec::new();
        for result in &run.variants {
            let VariantResult::Ran(report) = result else {
                continue;
            };
            match self.variant(&report.name).map(|v| v.role) {
                Some(Role::Broken) if !report.pitfall_observed => {
                    problems.push(format!(
                        "{}: the broken variant did not reproduce the pitfall",
                        report.name
                    ));
                }
                Some(Role::Fix) if report.pitfall_observed => {
                    problems.push(format!("{}: the fix still shows the pitfall", report.name));
                }
                None => {
                    problems.push(format!("{}: not a variant of {}", report.name, self.id));
                }
                _ => {}
            }
        }
        problems
    }
}
