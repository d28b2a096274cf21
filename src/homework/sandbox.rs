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
    /// bubblewrap: namespaces, read-only binds, no network.
    Bwrap,
    /// Nothing contains it.
    None { why: String },
}

/// The address-space limit of a test binary.
const MEMORY_LIMIT: u64 = 4 << 30;

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
        let mut build = self.command(work, Step::Build, Path::new(&cargo));
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
            let mut command = self.command(work, step, &exe);
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

/// What a sandboxed command is for.
enum Step {
    /// cargo builds the copy: it may write the copy, the build and cargo's cache.
    Build,
    /// A test binary, as nobody, with no capabilities.
    Test,
    /// The same, after `scripts/with-postgres` started a server inside the sandbox.
    TestWithPostgres(PathBuf),
}

impl Sandbox {
    /// `program` as a command that runs inside the sandbox (or plainly, without one),
    /// with `work` (the graded copy and its build) writable.
    fn command(&self, work: &Path, step: Step, program: &Path) -> Command {
        if matches!(self, Self::None { .. }) {
            return Command::new(program);
        }
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
        let cargo_home =
            std::env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), PathBuf::from);
        let rustup_home =
            std::env::var_os("RUSTUP_HOME").map_or_else(|| home.join(".rustup"), PathBuf::from);
        let mut c = Command::new("bwrap");
        c.args([
            "--ro-bind",
            "/",
            "/",
            "--dev",
            "/dev",
            "--proc",
            "/proc",
            "--tmpfs",
            "/tmp",
        ]);
        c.args([
            "--unshare-net",
            "--unshare-pid",
            "--unshare-ipc",
            "--unshare-uts",
        ]);
        c.args(["--die-with-parent", "--new-session"]);
        // Homes and the lab's checkout are hidden; the toolchain comes back read-only.
        let lab = crate::repo_root();
        let hidden: Vec<&Path> = [Path::new("/home"), &home, &lab]
            .into_iter()
            .filter(|h| h.is_dir())
            .collect();
        for dir in &hidden {
            c.args(["--perms", "0755", "--tmpfs"]).arg(dir);
        }
        // The way from a hidden directory down to the work directory stays passable for
        // nobody (bwrap would make the directories on it private).
        let mut ancestors: Vec<&Path> = work
            .ancestors()
            .skip(1)
            .take_while(|a| hidden.iter().any(|h| a.starts_with(h) && a != h))
            .collect();
        ancestors.reverse();
        for dir in ancestors {
            c.args(["--perms", "0755", "--dir"]).arg(dir);
        }
        for dir in [rustup_home.clone(), cargo_home.join("bin")] {
            if dir.is_dir() {
                c.arg("--ro-bind").arg(&dir).arg(&dir);
            }
        }
        let registry = cargo_home.join("registry");
        if registry.is_dir() {
            // Only cargo writes its cache, at build time; a test reads nothing of it.
            let bind = if matches!(step, Step::Build) {
                "--bind"
            } else {
                "--ro-bind"
            };
            c.arg(bind).arg(&registry).arg(&registry);
        }
        c.arg("--bind").arg(work).arg(work);
        c.args(["--setenv", "HOME", "/tmp"]);
        c.arg("--setenv").arg("CARGO_HOME").arg(&cargo_home);
        c.arg("--setenv").arg("RUSTUP_HOME").arg(&rustup_home);
        c.args(["--unsetenv", "LAB_POSTGRES_URL", "--"]);
        let nobody = [
            "setpriv",
            "--reuid=65534",
            "--regid=65534",
            "--clear-groups",
            "--inh-caps=-all",
            "--bounding-set=-all",
            "--",
        ];
        let limit = format!("--as={MEMORY_LIMIT}");
        match step {
            Step::Build => {}
            Step::Test => {
                c.args(nobody).args(["prlimit", &limit, "--"]);
            }
            Step::TestWithPostgres(script) => {
                c.arg(script).args(nobody).args(["prlimit", &limit, "--"]);
            }
        }
        c.arg(program);
        c
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
