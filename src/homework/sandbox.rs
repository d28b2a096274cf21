//! Where the candidate's code is built and run: the graded copy's `cargo test --no-run`,
//! then each grading test binary on its own, under a wall-clock limit. With no sandbox
//! the code runs with the interviewer's privileges, and the scorecard says so first.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::Context;
use lab_kit::Scenario;

use super::grade::{Check, needs_postgres, parse_test_output};

/// How the candidate's code is contained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Sandbox {
    /// Nothing contains it.
    None { why: String },
}

/// The grading test binaries: each fix's verdict and the properties.
const TEST_TARGETS: [&str; 2] = ["homework", "properties"];

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
    /// The best containment this machine offers.
    pub fn detect() -> Self {
        Self::None {
            why: "no sandbox is implemented on this machine".to_owned(),
        }
    }

    /// Whether the candidate's code is contained at all.
    pub fn contains(&self) -> bool {
        !matches!(self, Self::None { .. })
    }

    /// The scorecard's first line.
    pub fn describe(&self) -> String {
        match self {
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
        let mut build = Command::new(&cargo);
        build
            .args([
                "test",
                "--no-run",
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
            let mut command = Command::new(&exe);
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

/// The grading test executables cargo built, by target name.
fn executables(json_lines: &str) -> Vec<(String, PathBuf)> {
    let mut found = Vec::new();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let (Some(exe), Some(name)) = (msg["executable"].as_str(), msg["target"]["name"].as_str())
        else {
            continue;
        };
        if TEST_TARGETS.contains(&name) {
            found.push((name.to_owned(), PathBuf::from(exe)));
        }
    }
    found.sort();
    found
}

/// The compiler's errors, rendered, from cargo's JSON messages (or its stderr).
fn build_errors(json_lines: &str, stderr: &[u8]) -> String {
    let mut errors = Vec::new();
    for line in json_lines.lines() {
        let Ok(msg) = serde_json::from_str::<serde_json::Value>(line) else {
            continue;
        };
        let is_error = msg["reason"] == "compiler-message" && msg["message"]["level"] == "error";
        if let Some(text) = msg["message"]["rendered"].as_str().filter(|_| is_error) {
            errors.push(text.trim_end().to_owned());
        }
    }
    if errors.is_empty() {
        let stderr = String::from_utf8_lossy(stderr);
        errors.extend(
            stderr
                .lines()
                .filter(|l| l.starts_with("error"))
                .map(str::to_owned),
        );
    }
    errors.truncate(10);
    errors.join("\n")
}

/// Waits for `child` until `limit`, killing it then; its stdout, and whether it was
/// killed. The poll only notices the end sooner; it orders nothing.
fn wait_with_limit(mut child: Child, limit: Duration) -> anyhow::Result<(String, bool)> {
    let mut stdout = child.stdout.take().expect("stdout is piped");
    let mut stderr = child.stderr.take().expect("stderr is piped");
    // Read both pipes on threads so a chatty test cannot block on a full pipe.
    let out = std::thread::spawn(move || {
        let mut text = String::new();
        let _ = stdout.read_to_string(&mut text);
        text
    });
    let err = std::thread::spawn(move || {
        let mut sink = Vec::new();
        let _ = stderr.read_to_end(&mut sink);
    });
    let deadline = Instant::now() + limit;
    let mut timed_out = false;
    while child.try_wait()?.is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            timed_out = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait()?;
    let text = out.join().unwrap_or_default();
    let _ = err.join();
    Ok((text, timed_out))
}
