//! One schedule: a fresh shop in a SQLite file (WAL mode), the backup and the writer as
//! two sessions of the interleaving harness, one explicit permutation of their steps, and
//! the backup file restored and checked.

use lab_kit::interleave::{self, Interleaving, SqliteSession};
use lab_kit::sqlite::TempDb;

use crate::model::{Backup, Shop, TABLES, Write, schema};
use crate::restore::{self, Restored};

/// The backup's steps, in its order: `backup_start`, one per table, `backup_finish`.
pub fn backup_steps() -> Vec<String> {
    let mut steps = vec!["backup_start".to_owned()];
    steps.extend(TABLES.iter().map(|t| format!("backup_{t}")));
    steps.push("backup_finish".to_owned());
    steps
}

/// The writer's steps: `w1`, `w2`, ... one per transaction.
pub fn writer_steps(writes: usize) -> Vec<String> {
    (1..=writes).map(|i| format!("w{i}")).collect()
}

/// What one schedule did and left.
#[derive(Debug)]
pub struct Ran {
    pub interleaving: Interleaving,
    pub restored: Restored,
}

/// Runs `backup` and the writer's `writes` through `permutation` on a fresh shop, then
/// restores the backup file. A step that failed (rather than waited) is an error.
pub fn run(backup: &Backup, writes: &[Write], permutation: &[&str]) -> lab_kit::Result<Ran> {
    let db = TempDb::new()?;
    let setup = db.connect()?;
    // WAL: readers never block the writer nor the writer them, as on a site that serves
    // while its backup runs; the journal mode stays with the file.
    setup.query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0))?;
    setup.execute_batch(&schema("main"))?;
    Shop::seed().load(&setup)?;
    drop(setup);
    let out = db.path().with_file_name("backup.sqlite3");

    let backup = *backup;
    let mut dump = SqliteSession::new("backup", db.connect()?);
    let path = out.clone();
    dump = dump.step("backup_start", "start", move |c| (backup.start)(c, &path));
    for table in TABLES {
        let path = out.clone();
        let name = format!("backup_{table}");
        let shown = format!("back up {table}");
        dump = dump.step(&name, &shown, move |c| (backup.table)(c, &path, table));
    }
    let path = out.clone();
    dump = dump.step("backup_finish", "finish", move |c| {
        (backup.finish)(c, &path)
    });

    let mut writer = SqliteSession::new("writer", db.connect()?);
    for (step, write) in writer_steps(writes.len()).iter().zip(writes) {
        let sql = write.sql();
        writer = writer.step(step, &sql.clone(), move |c| {
            // A transaction that did not commit is rolled back, so the step can be
            // tried again whole.
            match c.execute_batch(&sql) {
                Ok(()) => Ok("committed".to_owned()),
                Err(e) => {
                    let _ = c.execute_batch("ROLLBACK");
                    Err(e)
                }
            }
        });
    }

    let interleaving = interleave::run(&mut [&mut dump, &mut writer], permutation)?;
    drop((dump, writer));
    if let Some(failed) = interleaving
        .steps
        .iter()
        .find(|s| !matches!(s.outcome, Some(Ok(_))))
    {
        let why = match &failed.outcome {
            Some(Err(e)) => e.clone(),
            _ => "still waiting when the schedule ended".to_owned(),
        };
        return Err(lab_kit::Error::scenario(format!("{}: {why}", failed.step)));
    }
    let restored = restore::restore(&out)?;
    Ok(Ran {
        interleaving,
        restored,
    })
}

/// The permutation that runs writer transaction `i` right after the backup's step
/// `gaps[i]` (0: before the backup starts; 1: after `backup_start`; ...). Gaps are taken
/// in order, so the writer's transactions keep theirs.
pub fn permutation(gaps: &[usize]) -> Vec<String> {
    let backup = backup_steps();
    let mut gaps: Vec<usize> = gaps.iter().map(|g| (*g).min(backup.len())).collect();
    gaps.sort_unstable();
    let writer = writer_steps(gaps.len());
    let mut out = Vec::new();
    let mut w = 0;
    for done in 0..=backup.len() {
        if done > 0 {
            out.push(backup[done - 1].clone());
        }
        while w < gaps.len() && gaps[w] == done {
            out.push(writer[w].clone());
            w += 1;
        }
    }
    out
}
