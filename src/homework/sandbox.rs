//! Where the candidate's code is built and run: the graded copy's `cargo test --no-run`,
//! then each grading test binary on its own, under a wall-clock limit.
//!
//! With bubblewrap (Debian: `bubblewrap`) both steps run in namespaces of their own: no
//! network (a scenario's loopback servers, and a throwaway PostgreSQL for the scenarios
//! that need one, live inside the sandbox's own network namespace), the whole system
//! read-only, home directories and the lab's checkout hidden, only the graded copy and a
//! scratch `/tmp` writable; the test binaries run as `nobody` with no capabilities and an
//! address-space limit. Without it the code runs with the interviewer's privileges, and
//! the scorecard says so first.

use std::fs;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::Context;
use lab_kit::Scenario;

use super::bwrap::Step;
use super::grade::needs_postgres;
use super::runner::{build_errors, executables, wait_with_limit};
use super::scorecard::{Check, parse_test_output};

/// How the candidate's code is contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sandbox {
    /// bubblewrap: namespaces, read-only binds, no network.
    Bwrap,
    /// Nothing contains it.
    None { why: String },
}

/// The address-space limit of a test binary.
pub(super) const MEMORY_LIMIT: u64 = 4 << 30;

/// The grading test binaries: each fix's verdict and the properties.
pub(super) const TEST_TARGETS: [&str; 2] = ["homework", "properties"];

/// What the build and the test binaries gave.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TestRun {
    pub checks: Vec<Check>,
    pub verdict: Verdict,
    /// Test binaries a limit stopped, with the limit.
    pub stopped: Vec<String>,
}

/// Whether the copy built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    Built,
    BuildFailed(String),
}

impl Sandbox {
    /// The best containment this machine offers: bubblewrap if it is installed and can
    /// make namespaces here, else none (and why).
    pub fn detect() -> Self {
        let probe = Command::new("bwrap")
            .args([
                "--ro-bind",
                "/",
                "/",
                "--unshare-net",
                "--unshare-pid",
                "--die-with-parent",
            ])
            .args([
                "setpriv",
                "--reuid=65534",
                "--regid=65534",
                "--clear-groups",
                "true",
            ])
            .stdin(Stdio::null())
            .output();
        match probe {
            Ok(out) if out.status.success() => Self::Bwrap,
            Ok(out) => Self::None {
                why: format!(
                    "bubblewrap cannot make a sandbox here: {}",
                    String::from_utf8_lossy(&out.stderr).trim()
                ),
            },
            Err(_) => Self::None {
                why: "bubblewrap is not installed; Debian: apt install bubblewrap".to_owned(),
            },
        }
    }

    /// Whether the candidate's code is contained at all.
    pub fn contains(&self) -> bool {
        !matches!(self, Self::None { .. })
    }

    /// The scorecard's first line.
    pub fn describe(&self) -> String {
        match self {
            Self::Bwrap => format!(
                "Graded in a sandbox (bubblewrap): no network, the system read-only, homes and \
                 the lab hidden, tests as nobody, {} GiB of memory and a time limit per test binary.",
                MEMORY_LIMIT >> 30
            ),
            Self::None { why } => format!(
                "Graded WITHOUT a sandbox ({why}): the candidate's code had your privileges."
            ),
        }
    }

    /// Builds the grading tests of the exercise at `copy` into `target`, then runs each
    /// test binary under `limit`.
    pub fn cargo_test(
        &self,
        scenario: &Scenario,
        copy: &Path,
        target: &Path,
        limit: Duration,
    ) -> anyhow::Result<TestRun> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        // Dependencies come from the lab's lock file; fetch them (a no-op once the lab
        // built) before the sandbox, which has no network.
        let _ = Command::new(&cargo)
            .args(["fetch", "--quiet"])
            .current_dir(copy)
            .stdin(Stdio::null())
            .output();
        let work = copy.parent().unwrap_or(copy);
        // The build may live outside the work dir (gradings that share one).
        fs::create_dir_all(target).context("cannot create the target dir")?;
        let writable: Vec<&Path> = if target.starts_with(work) {
            vec![work]
        } else {
            vec![work, target]
        };
        let mut build = self.command(&writable, Step::Build, Path::new(&cargo));
        build
            .args([
                "test",
                "--no-run",
                "--offline",
                "--message-format=json",
                "-p",
                scenario.id,
            ])
            .args(TEST_TARGETS.iter().flat_map(|t| ["--test", t]))
            .current_dir(copy)
            .env("CARGO_TARGET_DIR", target)
            .stdin(Stdio::null());
        let output = build.output().context("cannot run cargo")?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        if !output.status.success() {
            return Ok(TestRun {
                checks: Vec::new(),
                verdict: Verdict::BuildFailed(build_errors(&stdout, &output.stderr)),
                stopped: Vec::new(),
            });
        }
        let mut checks = Vec::new();
        let mut stopped = Vec::new();
        for (name, exe) in executables(&stdout) {
            let step = if needs_postgres(scenario) {
                Step::TestWithPostgres(copy.join("scripts/with-postgres"))
            } else {
                Step::Test
            };
            let mut command = self.command(&writable, step, &exe);
            if needs_postgres(scenario) {
                // A grade never skips the PostgreSQL checks.
                command.arg("--include-ignored");
            }
            command
                .current_dir(copy.join(scenario.id))
                .env("RUST_BACKTRACE", "0")
                .stdin(Stdio::null())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped());
            let child = command
                .spawn()
                .with_context(|| format!("cannot run {}", exe.display()))?;
            let (out, timed_out) = wait_with_limit(child, limit)?;
            if timed_out {
                stopped.push(format!(
                    "tests/{name}.rs ran past the time limit ({} s) and was killed",
                    limit.as_secs()
                ));
                // The tests it never finished count against the fix.
                checks.push(Check {
                    name: format!("{name}: the tests still running at the time limit"),
                    passed: false,
                    detail: "killed at the time limit".to_owned(),
                });
            }
            checks.extend(parse_test_output(&name, &out));
        }
        Ok(TestRun {
            checks,
            verdict: Verdict::Built,
            stopped,
        })
    }
}
