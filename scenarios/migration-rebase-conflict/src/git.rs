//! A real git repository in a temporary directory, driven through the `git` command line
//! and cut off from the machine's configuration, with a fixed author and fixed dates.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use lab_kit::Transcript;

/// Why git could not do what the story needs.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No usable `git` on PATH.
    #[error("git is required to run this scenario, but `git --version` could not run: {0}")]
    Missing(#[source] std::io::Error),
    /// `git init -b` appeared in git 2.28.
    #[error("git 2.28 or newer is required (for `git init -b main`), found `{0}`")]
    TooOld(String),
    /// A git command exited with a failure.
    #[error("`git {command}` failed ({status}): {stderr}")]
    Failed {
        command: String,
        status: String,
        stderr: String,
    },
    /// The temporary directory or a file in it.
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

impl From<GitError> for lab_kit::Error {
    fn from(error: GitError) -> Self {
        Self::scenario(error)
    }
}

/// The one author and committer of every commit, with one fixed date, so that nothing
/// about the machine or the hour can change what git does.
const IDENTITY: [(&str, &str); 6] = [
    ("GIT_AUTHOR_NAME", "Pitfall Lab"),
    ("GIT_AUTHOR_EMAIL", "lab@example.invalid"),
    ("GIT_AUTHOR_DATE", "2026-01-05T09:00:00+00:00"),
    ("GIT_COMMITTER_NAME", "Pitfall Lab"),
    ("GIT_COMMITTER_EMAIL", "lab@example.invalid"),
    ("GIT_COMMITTER_DATE", "2026-01-05T09:00:00+00:00"),
];

/// A repository in its own temporary directory (removed on drop).
#[derive(Debug)]
pub struct Repo {
    dir: tempfile::TempDir,
    home: PathBuf,
    /// The git executable: `git` from PATH, or another for the missing-git test.
    program: PathBuf,
}

impl Repo {
    /// Checks that git is there and new enough, then runs `git init -b main` in a fresh
    /// directory. The `init` goes into `log` under `actor`.
    pub fn init(actor: &str, log: &mut Transcript) -> Result<Self, GitError> {
        Self::init_with(Path::new("git"), actor, log)
    }

    /// [`Repo::init`] with `program` as the git executable.
    pub fn init_with(program: &Path, actor: &str, log: &mut Transcript) -> Result<Self, GitError> {
        let dir = tempfile::Builder::new()
            .prefix("pitfall-lab-git-")
            .tempdir()?;
        let home = dir.path().join("home");
        std::fs::create_dir(&home)?;
        let work = dir.path().join("repo");
        std::fs::create_dir(&work)?;
        let repo = Self {
            dir,
            home,
            program: program.to_owned(),
        };
        let version = repo
            .command(&["--version"])
            .output()
            .map_err(GitError::Missing)?;
        let version = String::from_utf8_lossy(&version.stdout).trim().to_owned();
        if !supports_init_branch(&version) {
            return Err(GitError::TooOld(version));
        }
        repo.run(actor, &["init", "-b", "main"], log)?;
        Ok(repo)
    }

    /// The working tree.
    pub fn work_tree(&self) -> PathBuf {
        self.dir.path().join("repo")
    }

    /// Runs `git args` in the working tree, records `actor: $ git args -> ok` and returns
    /// standard output. A failure is an error carrying git's own message.
    pub fn run(
        &self,
        actor: &str,
        args: &[&str],
        log: &mut Transcript,
    ) -> Result<String, GitError> {
        let output = self.output(args)?;
        let shown: Vec<String> = args.iter().map(|a| quoted(a)).collect();
        log.push(actor, format!("$ git {} -> ok", shown.join(" ")));
        Ok(output)
    }

    /// Runs `git args` without recording it: for the reads the report makes about the
    /// repository (which files a branch holds), not steps of the story.
    pub fn read(&self, args: &[&str]) -> Result<String, GitError> {
        self.output(args)
    }

    fn output(&self, args: &[&str]) -> Result<String, GitError> {
        let Output {
            status,
            stdout,
            stderr,
        } = self.command(args).current_dir(self.work_tree()).output()?;
        if !status.success() {
            return Err(GitError::Failed {
                command: args.join(" "),
                status: status.to_string(),
                stderr: String::from_utf8_lossy(&stderr).trim().to_owned(),
            });
        }
        Ok(String::from_utf8_lossy(&stdout).into_owned())
    }

    /// `git` with an environment of our own: nothing from the caller's environment but
    /// PATH (no GIT_DIR from a hook, no user editor or pager), no system or global
    /// configuration, HOME inside the temporary directory, English messages, the fixed
    /// identity and dates.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(&self.program);
        command
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_TERMINAL_PROMPT", "0")
            .env("GIT_EDITOR", "true")
            .env("LC_ALL", "C")
            .envs(IDENTITY);
        command
    }
}

/// An argument as a shell would need it: in double quotes if it holds a space.
fn quoted(arg: &str) -> String {
    if arg.contains(' ') {
        format!("\"{arg}\"")
    } else {
        arg.to_owned()
    }
}

/// Whether `git --version` output (`git version 2.47.3`) names 2.28 or newer.
pub fn supports_init_branch(version: &str) -> bool {
    let numbers: Vec<u32> = version
        .split_whitespace()
        .nth(2)
        .unwrap_or("")
        .split('.')
        .map_while(|part| part.parse().ok())
        .collect();
    matches!(numbers.as_slice(), [major, minor, ..] if (*major, *minor) >= (2, 28))
}

/// The `*.sql` files under `dir` (a path inside the repository) on `branch`, as git's
/// tree holds them: file names, sorted.
pub fn files_on(repo: &Repo, branch: &str, dir: &Path) -> Result<Vec<String>, GitError> {
    let listing = repo.read(&[
        "ls-tree",
        "--name-only",
        branch,
        &format!("{}/", dir.display()),
    ])?;
    let mut names: Vec<String> = listing
        .lines()
        .filter_map(|path| Path::new(path).file_name())
        .map(|name| name.to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".sql"))
        .collect();
    names.sort();
    Ok(names)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_git_says_that_git_is_required() {
        let error = Repo::init_with(
            Path::new("/nonexistent/pitfall-lab/git"),
            "lead",
            &mut Transcript::new(),
        )
        .expect_err("there is no git at that path");
        assert!(
            error
                .to_string()
                .starts_with("git is required to run this scenario"),
            "{error}"
        );
    }

    #[test]
    fn init_branch_needs_git_2_28() {
        assert!(supports_init_branch("git version 2.47.3"));
        assert!(supports_init_branch("git version 2.28.0.windows.1"));
        assert!(supports_init_branch("git version 3.0"));
        assert!(!supports_init_branch("git version 2.27.1"));
        assert!(!supports_init_branch("not git"));
    }
}
