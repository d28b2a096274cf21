//! What grading found: the checks (those that depend on the fix, and the others), the
//! files graded and ignored, the build's errors, what stopped a test binary, and how the
//! candidate's code was contained - and libtest's output read into checks.

use lab_kit::Table;

/// One check of the scorecard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub name: String,
    pub passed: bool,
    /// For a failed check: what the test said (a property's minimal counterexample).
    pub detail: String,
}

/// What `lab grade` found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub id: String,
    /// The checks a fix must pass: each fix variant's verdict, the properties and guards.
    pub checks: Vec<Check>,
    /// Checks that do not depend on the fix (the broken variant still breaks), shown apart.
    pub other: Vec<Check>,
    /// The candidate's files that were graded, and how they differ from the export.
    pub graded: Vec<String>,
    /// Files outside the fix that differ from the export: graded with the original.
    pub ignored: Vec<String>,
    /// Set when the graded copy does not build: the compiler's errors.
    pub build_error: Option<String>,
    /// How the candidate's code was contained, in one line.
    pub containment: String,
    /// Test binaries stopped by a limit, with the limit.
    pub stopped: Vec<String>,
}

impl Scorecard {
    /// Solved: it builds, nothing was stopped, and every fix-dependent check passed.
    pub fn solved(&self) -> bool {
        self.build_error.is_none()
            && self.stopped.is_empty()
            && !self.checks.is_empty()
            && self.checks.iter().all(|c| c.passed)
    }

    /// How many fix-dependent checks passed.
    pub fn passed(&self) -> usize {
        self.checks.iter().filter(|c| c.passed).count()
    }

    /// The scorecard as text.
    pub fn render(&self) -> String {
        let mut text = format!("{}\n\nScorecard for {}\n", self.containment, self.id);
        if self.graded.is_empty() {
            text.push_str("\nGraded: the fix files as exported (none was changed)\n");
        } else {
            text.push_str("\nGraded (your fix):\n");
            for f in &self.graded {
                text.push_str(&format!("  {f}\n"));
            }
        }
        if !self.ignored.is_empty() {
            text.push_str("\nIgnored - outside the fix, graded with the original:\n");
            for f in &self.ignored {
                text.push_str(&format!("  {f}\n"));
            }
        }
        if let Some(error) = &self.build_error {
            text.push_str("\nThe exercise does not build:\n");
            text.push_str(error);
            text.push_str("\n\nNOT SOLVED\n");
            return text;
        }
        let mut table = Table::new(["check (depends on the fix)", "result"]);
        for c in &self.checks {
            table.row([
                c.name.clone(),
                if c.passed { "pass" } else { "FAIL" }.to_owned(),
            ]);
        }
        text.push('\n');
        text.push_str(&table.to_string());
        if !self.other.is_empty() {
            let mut table = Table::new(["other check (not scored)", "result"]);
            for c in &self.other {
                table.row([
                    c.name.clone(),
                    if c.passed { "pass" } else { "FAIL" }.to_owned(),
                ]);
            }
            text.push('\n');
            text.push_str(&table.to_string());
        }
        for c in self.checks.iter().chain(&self.other).filter(|c| !c.passed) {
            text.push_str(&format!("\n--- {} ---\n{}\n", c.name, c.detail.trim()));
        }
        for s in &self.stopped {
            text.push_str(&format!("\nSTOPPED: {s}\n"));
        }
        text.push_str(&format!(
            "\n{}/{} checks that depend on the fix passed: {}\n",
            self.passed(),
            self.checks.len(),
            if self.solved() {
                "SOLVED"
            } else {
                "NOT SOLVED"
            }
        ));
        text
    }
}

/// Reads libtest's output of one test binary called `binary`: every `test NAME ...
/// ok|FAILED` line as `binary: NAME`, and for failures the captured output block.
pub fn parse_test_output(binary: &str, stdout: &str) -> Vec<Check> {
    let mut checks = Vec::new();
    for line in stdout.lines() {
        let Some((name, result)) = line
            .strip_prefix("test ")
            .and_then(|r| r.rsplit_once(" ... "))
        else {
            continue;
        };
        let passed = match result.trim() {
            "ok" => true,
            "FAILED" => false,
            _ => continue,
        };
        let header = format!("---- {name} stdout ----");
        let detail = stdout.find(&header).map_or_else(String::new, |start| {
            let body = &stdout[start + header.len()..];
            let end = ["\n---- ", "\nfailures:"]
                .iter()
                .filter_map(|stop| body.find(stop))
                .min()
                .unwrap_or(body.len());
            body[..end]
                .lines()
                .filter(|l| !l.starts_with("note: run with `RUST_BACKTRACE"))
                .collect::<Vec<_>>()
                .join("\n")
        });
        checks.push(Check {
            name: format!("{binary}: {name}"),
            passed,
            detail,
        });
    }
    checks
}
