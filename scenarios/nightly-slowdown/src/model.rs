//! What every variant shares: the event log's table, its seed (old events the purge must
//! remove, recent ones it must keep), the day the site writes to, the journal mode, the
//! ONE variant type ([`Purge`]) and the job's loop built from it.

use std::time::Duration;

use rusqlite::Connection;
use serde::Serialize;

/// The day the site writes its new events to.
pub const TODAY: i64 = 100;
/// The purge removes every event of a day before this one (older than 30 days).
pub const CUTOFF: i64 = 70;
/// Rows per batch: Django deletes collected objects 100 primary keys per statement
/// (`GET_ITERATOR_CHUNK_SIZE`).
pub const BATCH: i64 = 100;

/// The nightly purge in the moves the harness steps: `begin` once, `batch` until it
/// deletes nothing, `end` once; between two batches the job rests for `rest`, real time,
/// when it runs for real (the harness steps it instead). `broken.rs` and the fix module
/// export one, `PURGE`.
#[derive(Debug, Clone, Copy)]
pub struct Purge {
    /// Before the first batch.
    pub begin: fn(&Connection) -> rusqlite::Result<()>,
    /// Deletes up to `limit` events of a day before `cutoff`: how many it deleted.
    pub batch: fn(&Connection, i64, i64) -> rusqlite::Result<usize>,
    /// After the last batch.
    pub end: fn(&Connection) -> rusqlite::Result<()>,
    pub rest: Duration,
}

/// What a purge did when it ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Purged {
    pub batches: usize,
    pub deleted: usize,
}

impl Purge {
    /// The job as the nightly cron runs it: begin, batches until one deletes nothing
    /// (resting after each), end.
    pub fn run(&self, conn: &Connection) -> rusqlite::Result<Purged> {
        (self.begin)(conn)?;
        let mut done = Purged {
            batches: 0,
            deleted: 0,
        };
        loop {
            let deleted = (self.batch)(conn, CUTOFF, BATCH)?;
            if deleted == 0 {
                break;
            }
            done.batches += 1;
            done.deleted += deleted;
            if !self.rest.is_zero() {
                std::thread::sleep(self.rest);
            }
        }
        (self.end)(conn)?;
        Ok(done)
    }
}

/// The table Django creates for `Event(day, payload)` with `day` indexed.
pub const SCHEMA: &str = "
CREATE TABLE log_event (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
                        day integer NOT NULL, payload varchar(200) NOT NULL);
CREATE INDEX log_event_day ON log_event (day);
";

/// How the database file keeps its journal: SQLite's default (and Django's), or WAL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum JournalMode {
    /// `journal_mode = DELETE`: a rollback journal. Readers take a shared lock; a writer
    /// that must write pages to the file (its commit, or a page cache too small for its
    /// transaction) takes the exclusive lock and shuts readers out until it commits.
    Rollback,
    /// `journal_mode = WAL`: readers read the last committed snapshot whatever the writer
    /// does; writers still go one at a time.
    Wal,
}

impl JournalMode {
    /// The value of `PRAGMA journal_mode`.
    pub fn pragma(self) -> &'static str {
        match self {
            Self::Rollback => "delete",
            Self::Wal => "wal",
        }
    }
}

/// The log before the purge: `expired` events spread over the days before [`CUTOFF`],
/// then `recent` events up to yesterday, oldest first, as a log grows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Seed {
    pub expired: usize,
    pub recent: usize,
}

impl Seed {
    /// The tests' log: six of Django's batches to purge, four hundred events to keep.
    pub const SMALL: Self = Self {
        expired: 600,
        recent: 400,
    };

    /// Creates the table in `mode` and inserts the events.
    pub fn load(&self, conn: &Connection, mode: JournalMode) -> rusqlite::Result<()> {
        conn.query_row(
            &format!("PRAGMA journal_mode = {}", mode.pragma()),
            [],
            |r| r.get::<_, String>(0),
        )?;
        conn.execute_batch(SCHEMA)?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut insert = tx.prepare("INSERT INTO log_event (day, payload) VALUES (?1, ?2)")?;
            let days = |n: usize, first: i64, last: i64| {
                let span = usize::try_from(last - first + 1).expect("a positive span");
                (0..n).map(move |i| first + i64::try_from(i * span / n.max(1)).unwrap_or(0))
            };
            let all = days(self.expired, 1, CUTOFF - 1).chain(days(self.recent, CUTOFF, TODAY - 1));
            for (i, day) in all.enumerate() {
                insert.execute((day, payload(i)))?;
            }
        }
        tx.commit()
    }
}

/// An event's payload: about 150 bytes, as a log line is.
pub fn payload(i: usize) -> String {
    format!(
        "event {i:07}: {}",
        "GET /articles/ 200 text/html; ".repeat(5)
    )
}

/// The events the database holds now: before the cutoff, from the cutoff to yesterday,
/// and today's (the site's writes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rows {
    pub expired: i64,
    pub recent: i64,
    pub today: i64,
}

impl Rows {
    /// Counts them on `conn`.
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let expired = "SELECT count(*) FROM log_event WHERE day < ?1";
        let recent = "SELECT count(*) FROM log_event WHERE day >= ?1 AND day < ?2";
        let today = "SELECT count(*) FROM log_event WHERE day = ?1";
        Ok(Self {
            expired: conn.query_row(expired, [CUTOFF], |r| r.get(0))?,
            recent: conn.query_row(recent, [CUTOFF, TODAY], |r| r.get(0))?,
            today: conn.query_row(today, [TODAY], |r| r.get(0))?,
        })
    }
}
