//! The story every variant tells, through real git and a real SQLite "production"
//! database: two branches add a migration on the same parent, A merges and deploys, B
//! rebases without a conflict, goes through the team's pre-merge step, merges, deploys.

use std::fs;
use std::path::Path;

use lab_kit::Transcript;
use lab_kit::sqlite::{self, StatementLog};
use rusqlite::Connection;

use crate::engine::{self, Graph, Migration, MigrationError};
use crate::git::{self, Repo};
use crate::{APP, BeforeMerge, Landing, MIGRATIONS, TABLE};

/// The migrations of the story: (file name without `.sql`, parent, SQL).
const INITIAL: (&str, &str, &str) = (
    "0001_initial",
    "",
    "CREATE TABLE shop_item (id INTEGER PRIMARY KEY, name TEXT NOT NULL);",
);
const PRICE: (&str, &str, &str) = (
    "0002_item_price",
    "0001_initial",
    "ALTER TABLE shop_item ADD COLUMN price INTEGER NOT NULL DEFAULT 0;",
);
/// Developer A's migration: a colour for every item.
pub const A: (&str, &str, &str) = (
    "0003_a_item_color",
    "0002_item_price",
    "ALTER TABLE shop_item ADD COLUMN color TEXT NOT NULL DEFAULT '';",
);
/// Developer B's migration, written the same day on the same parent: a stock count.
pub const B: (&str, &str, &str) = (
    "0003_b_item_stock",
    "0002_item_price",
    "ALTER TABLE shop_item ADD COLUMN stock INTEGER NOT NULL DEFAULT 0;",
);

/// What happened, as git and SQLite reported it.
#[derive(Debug)]
pub struct Story {
    pub transcript: Transcript,
    /// B's migration files after the rebase, as git's tree on `b` holds them.
    pub b_files_after_rebase: Vec<String>,
    /// What the pre-merge step decided.
    pub landing: Landing,
    pub b_merged: bool,
    /// main's migration files after the story, from git's tree.
    pub main_files: Vec<String>,
    /// The leaves of main's graph, computed from the files git holds on main.
    pub main_leaves: Vec<String>,
    /// The last deploy: migrate on main after B's turn.
    pub deploy: Deploy,
}

/// One run of `migrate` against the production database, with what it held before/after.
#[derive(Debug)]
pub struct Deploy {
    pub applied_before: Vec<String>,
    pub columns_before: Vec<String>,
    /// The names it applied, or the engine's error message.
    pub result: Result<Vec<String>, String>,
    pub applied_after: Vec<String>,
    pub columns_after: Vec<String>,
    /// `sqlite_master.sql` of the table afterwards.
    pub table_sql_after: Option<String>,
    /// Every statement the database ran during the migrate (SQLite's trace hook).
    pub statements: Vec<String>,
}

/// Runs the story with `before_merge` as the team's step between B's rebase and B's merge.
pub fn run(before_merge: BeforeMerge) -> lab_kit::Result<Story> {
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
    (name, parent, sql): (&str, &str, &str),
    log: &mut Transcript,
) -> lab_kit::Result<()> {
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

/// The deploy: `migrate` with the files of the checked-out branch, against production.
fn deploy(
    prod: &mut Connection,
    statements: &StatementLog,
    dir: &Path,
    log: &mut Transcript,
) -> lab_kit::Result<Deploy> {
    let applied_before = engine::applied(prod, APP)?;
    let columns_before = engine::columns(prod, TABLE)?;
    statements.take();
    let result = Graph::load(APP, dir)
        .and_then(|graph| engine::migrate(prod, &graph))
        .map_err(|e: MigrationError| e.to_string());
    let ran = statements.take();
    match &result {
        Ok(names) if names.is_empty() => log.push("deploy", "migrate -> no migrations to apply"),
        Ok(names) => log.push("deploy", format!("migrate -> applied {}", names.join(", "))),
        Err(error) => log.push("deploy", format!("migrate -> ERROR: {error}")),
    }
    for sql in &ran {
        log.push("db", sql);
    }
    if ran.is_empty() {
        log.push("db", "(no statement ran)");
    }
    Ok(Deploy {
        applied_before,
        columns_before,
        result,
        applied_after: engine::applied(prod, APP)?,
        columns_after: engine::columns(prod, TABLE)?,
        table_sql_after: engine::table_sql(prod, TABLE)?,
        statements: ran,
    })
}
