//! The story every variant tells, through real git and a real SQLite "production"
//! database: two branches add a migration on the same parent, A merges and deploys, B
//! rebases without a conflict, goes through the team's pre-merge step, merges, deploys.

use std::fs;
use std::path::Path;

use lab_kit::Transcript;
use lab_kit::sqlite::{self, StatementLog};

use super::deploy::{Deploy, deploy};
use crate::engine::Migration;
use crate::git::{self, Repo};
use crate::model::{A, B, BeforeMerge, INITIAL, Landing, MIGRATIONS, PRICE, StoryMigration};

/// What happened, as git and SQLite reported it.
#[derive(Debug)]
pub(super) struct Story {
    pub(super) transcript: Transcript,
    /// B's migration files after the rebase, as git's tree on `b` holds them.
    pub(super) b_files_after_rebase: Vec<String>,
    /// What the pre-merge step decided.
    pub(super) landing: Landing,
    pub(super) b_merged: bool,
    /// main's migration files after the story, from git's tree.
    pub(super) main_files: Vec<String>,
    /// The leaves of main's graph, computed from the files git holds on main.
    pub(super) main_leaves: Vec<String>,
    /// The last deploy: migrate on main after B's turn.
    pub(super) deploy: Deploy,
}

/// Tells the story with `before_merge` as the team's step between B's rebase and merge.
pub(super) fn tell(before_merge: BeforeMerge) -> lab_kit::Result<Story> {
    let mut log = Transcript::new();
    let mut prod = sqlite::memory()?;
    let statements = StatementLog::attach(&mut prod)?;

    let repo = Repo::init("lead", &mut log)?;
    let dir = repo.work_tree().join(MIGRATIONS);
    fs::create_dir_all(&dir)?;
    for migration in [INITIAL, PRICE] {
        commit_migration(&repo, "lead", migration, &mut log)?;
    }
    deploy(&mut prod, &statements, &dir, &mut log)?;

    repo.run("dev-a", &["checkout", "-b", "a"], &mut log)?;
    commit_migration(&repo, "dev-a", A, &mut log)?;
    repo.run("dev-b", &["checkout", "-b", "b", "main"], &mut log)?;
    commit_migration(&repo, "dev-b", B, &mut log)?;

    repo.run("lead", &["checkout", "main"], &mut log)?;
    repo.run(
        "lead",
        &["merge", "--no-ff", "-m", "Merge branch 'a'", "a"],
        &mut log,
    )?;
    deploy(&mut prod, &statements, &dir, &mut log)?;

    repo.run("dev-b", &["checkout", "b"], &mut log)?;
    // A rebase that met a conflict would exit non-zero and end the story with git's
    // message; here the two branches touched different files, so git has nothing to say.
    repo.run("dev-b", &["rebase", "main"], &mut log)?;
    // Exit 0 of `--is-ancestor` (an error otherwise): b really sits on top of main now.
    repo.read(&["merge-base", "--is-ancestor", "main", "b"])?;
    let b_files_after_rebase = git::files_on(&repo, "b", Path::new(MIGRATIONS))?;
    log.push(
        "dev-b",
        format!(
            "rebase finished without a conflict, main is an ancestor of b; b's {MIGRATIONS}: {}",
            b_files_after_rebase.join(", ")
        ),
    );

    let landing = before_merge(&dir, &mut log)?;
    let b_merged = matches!(landing, Landing::Merge);
    match &landing {
        Landing::Merge => {
            if !repo.read(&["status", "--porcelain"])?.is_empty() {
                repo.run("dev-b", &["add", MIGRATIONS], &mut log)?;
                repo.run("dev-b", &["commit", "-m", "Merge migrations"], &mut log)?;
            }
            repo.run("lead", &["checkout", "main"], &mut log)?;
            repo.run(
                "lead",
                &["merge", "--no-ff", "-m", "Merge branch 'b'", "b"],
                &mut log,
            )?;
        }
        Landing::Refuse(_) => {
            log.push("lead", "b is not merged: its pre-merge check failed");
            repo.run("lead", &["checkout", "main"], &mut log)?;
        }
    }

    let main_files = git::files_on(&repo, "main", Path::new(MIGRATIONS))?;
    let main_leaves = leaves_on(&repo, "main", &main_files)?;
    log.push(
        "lead",
        format!(
            "main's {MIGRATIONS}: {}; leaves: {}",
            main_files.join(", "),
            main_leaves.join(", ")
        ),
    );
    let deploy = deploy(&mut prod, &statements, &dir, &mut log)?;
    Ok(Story {
        transcript: log,
        b_files_after_rebase,
        landing,
        b_merged,
        main_files,
        main_leaves,
        deploy,
    })
}

/// Writes one migration file in the working tree and commits it.
fn commit_migration(
    repo: &Repo,
    actor: &str,
    migration: StoryMigration,
    log: &mut Transcript,
) -> lab_kit::Result<()> {
    let StoryMigration { name, parent, sql } = migration;
    let parents: Vec<String> = [parent]
        .iter()
        .filter(|p| !p.is_empty())
        .map(|p| (*p).to_owned())
        .collect();
    let path = format!("{MIGRATIONS}/{name}.sql");
    fs::write(
        repo.work_tree().join(&path),
        Migration::render(name, &parents, &format!("{sql}\n")),
    )?;
    let on = if parent.is_empty() { "nothing" } else { parent };
    log.push(actor, format!("write {path} (depends on {on}): {sql}"));
    repo.run(actor, &["add", &path], log)?;
    repo.run(actor, &["commit", "-m", name], log)?;
    Ok(())
}

/// The leaves of the graph stored on `branch`: read with `git show`, not from the working
/// tree, and computed here as "names no file lists as a parent" - independently of the
/// engine's own check, so the verdict does not trust the code it judges.
fn leaves_on(repo: &Repo, branch: &str, files: &[String]) -> lab_kit::Result<Vec<String>> {
    let mut migrations = Vec::new();
    for file in files {
        let path = format!("{MIGRATIONS}/{file}");
        let text = repo.read(&["show", &format!("{branch}:{path}")])?;
        migrations.push(Migration::parse(Path::new(&path), &text)?);
    }
    let mut leaves: Vec<String> = migrations
        .iter()
        .filter(|m| !migrations.iter().any(|o| o.depends_on.contains(&m.name)))
        .map(|m| m.name.clone())
        .collect();
    leaves.sort();
    Ok(leaves)
}
