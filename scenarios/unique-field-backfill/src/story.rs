//! One story: a fresh database file with some orders, the deploy's migrating connection
//! and the old app's connection as two sessions of the interleaving harness, run in one
//! explicit permutation; then the table's end state and every error either side saw.

use std::collections::BTreeMap;

use lab_kit::interleave::{Interleaving, SessionDriver, SqliteSession};
use lab_kit::sqlite::{StatementLog, TempDb};
use lab_kit::{Transcript, db};
use serde::Serialize;

use crate::model::{self, EndState, Migration, OLD_INSERT, SEED, Step, Uuids};

/// The migration's steps, in the order the deploy runs them.
pub const MIGRATE: [&str; 4] = ["add_column", "backfill_1", "backfill_2", "make_unique"];

/// What the transcript calls each migration step.
const SHOWN: [&str; 4] = [
    "0002 (add the column)",
    "0003 (backfill, batch 1)",
    "0003 (backfill, batch 2)",
    "0004 (make it unique)",
];

/// The statements a step sent, without its transaction's BEGIN and COMMIT.
fn sql_sent(log: &StatementLog) -> String {
    let sent: Vec<String> = log
        .take()
        .into_iter()
        .filter(|s| !matches!(s.as_str(), "BEGIN DEFERRED" | "BEGIN" | "COMMIT"))
        .collect();
    sent.join("; ")
}

/// The old app's steps when it writes `n` orders: `old_insert_1`, ...
pub fn old_steps(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("old_insert_{i}")).collect()
}

/// What one story left behind.
#[derive(Debug)]
pub struct Told {
    pub result: Interleaving,
    pub end: EndState,
    /// Each failed step and SQLite's error, the old app's and the migration's.
    pub errors: BTreeMap<String, String>,
}

impl Told {
    /// Everything that went wrong: the old app failing, the migration failing, or an end
    /// state that is not one distinct, non-null UUID per row behind a unique index.
    pub fn problems(&self) -> Vec<String> {
        let mut out: Vec<String> = self
            .errors
            .iter()
            .map(|(step, e)| {
                let who = if step.starts_with("old_") {
                    "the old app"
                } else {
                    "the migration"
                };
                format!("{who} failed at {step}: {e}")
            })
            .collect();
        out.extend(self.end.problems());
        out
    }

    pub fn transcript(&self) -> &Transcript {
        &self.result.transcript
    }
}

/// What the row the old app just inserted holds in `uuid`, as the narrator reads it (the
/// old app itself never looks).
fn new_row_uuid(conn: &rusqlite::Connection) -> &'static str {
    let sql = "SELECT uuid FROM shop_order WHERE id = ?1";
    match conn.query_row(sql, [conn.last_insert_rowid()], |r| {
        r.get::<_, Option<String>>(0)
    }) {
        Ok(Some(v)) if model::is_v4(&v) => "its uuid: a version-4 UUID",
        Ok(Some(_)) => "its uuid: not a version-4 UUID",
        Ok(None) => "its uuid: NULL",
        Err(_) => "no uuid column yet",
    }
}

/// The facts of a story, for the report and the Django twin.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub seed_rows: usize,
    pub permutation: Vec<String>,
    pub errors: BTreeMap<String, String>,
    pub end: EndState,
}

/// Runs `permutation` of the migration's and the old app's steps on a fresh table of
/// `rows` orders, the old app writing `old_inserts` orders.
pub fn tell(
    migration: Migration,
    rows: usize,
    old_inserts: usize,
    permutation: &[&str],
) -> lab_kit::Result<Told> {
    // One database per interleaving: durability plays no part, so no commit waits for
    // the disk.
    let file = TempDb::scratch()?;
    model::seed(&file.connect()?, rows)?;
    let uuids = Uuids::seeded(SEED);
    let steps: [(&str, Step); 4] = [
        (MIGRATE[0], migration.add_column),
        (MIGRATE[1], migration.backfill),
        (MIGRATE[2], migration.backfill),
        (MIGRATE[3], migration.make_unique),
    ];
    let mut conn = file.connect()?;
    let log = StatementLog::attach_expanded(&mut conn)?;
    let mut deploy = SqliteSession::new("migrate", conn);
    for ((name, step), shown) in steps.into_iter().zip(SHOWN) {
        let (uuids, log) = (uuids.clone(), log.clone());
        deploy = deploy.step(name, shown, move |conn| {
            log.take();
            let done = step(conn, &uuids)?;
            Ok(format!("{} ({done})", sql_sent(&log)))
        });
    }
    let mut old = SqliteSession::new("old_app", file.connect()?);
    for (i, name) in old_steps(old_inserts).iter().enumerate() {
        let customer = format!("old-{}", i + 1);
        let shown = OLD_INSERT.replace("?1", &format!("'{customer}'"));
        old = old.step(name, &shown, move |conn| {
            let n = conn.execute(OLD_INSERT, [&customer])?;
            Ok(format!("{n} row(s) affected ({})", new_row_uuid(conn)))
        });
    }
    let mut sessions: Vec<Box<dyn SessionDriver>> = vec![Box::new(deploy), Box::new(old)];
    let result = db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    let errors = result
        .steps
        .iter()
        .filter_map(|r| match &r.outcome {
            Some(Err(e)) => Some((r.step.clone(), e.clone())),
            _ => None,
        })
        .collect();
    Ok(Told {
        end: EndState::read(&file.connect()?)?,
        errors,
        result,
    })
}

impl Told {
    /// The story's facts.
    pub fn facts(&self, rows: usize, permutation: &[&str]) -> Facts {
        Facts {
            seed_rows: rows,
            permutation: permutation.iter().map(|s| (*s).to_owned()).collect(),
            errors: self.errors.clone(),
            end: self.end.clone(),
        }
    }
}
