//! The bubblewrap command line: what is hidden, what is read-only, what is writable, and
//! who the test binaries run as.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::sandbox::{MEMORY_LIMIT, Sandbox};

/// What a sandboxed command is for.
pub(super) enum Step {
    /// cargo builds the copy: it may write the copy, the build and cargo's cache.
    Build,
    /// A test binary, as nobody, with no capabilities.
    Test,
    /// The same, after `scripts/with-postgres` started a server inside the sandbox.
    TestWithPostgres(PathBuf),
}

impl Sandbox {
    /// `program` as a command that runs inside the sandbox (or plainly, without one),
    /// with `writable` (the graded copy and its build) writable.
    pub(super) fn command(&self, writable: &[&Path], step: Step, program: &Path) -> Command {
        if matches!(self, Self::None { .. }) {
            return Command::new(program);
        }
        let home = std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from);
        let cargo_home =
            std::env::var_os("CARGO_HOME").map_or_else(|| home.join(".cargo"), PathBuf::from);
        let rustup_home =
            std::env::var_os("RUSTUP_HOME").map_or_else(|| home.join(".rustup"), PathBuf::from);
        let mut c = Command::new("bwrap");
        c.args(["--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc"]);
        // A scratch /tmp every user may write, as a real one is (tests run as nobody).
        c.args(["--perms", "1777", "--tmpfs", "/tmp"]);
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
        // The way from a hidden directory down to each writable directory stays passable
        // for nobody (bwrap would make the directories on it private).
        for work in writable {
            let mut ancestors: Vec<&Path> = work
                .ancestors()
                .skip(1)
                .take_while(|a| hidden.iter().any(|h| a.starts_with(h) && a != h))
                .collect();
            ancestors.reverse();
            for dir in ancestors {
                c.args(["--perms", "0755", "--dir"]).arg(dir);
            }
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
        for work in writable {
            c.arg("--bind").arg(work).arg(work);
        }
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
