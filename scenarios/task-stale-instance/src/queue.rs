//! The job queue's producer side: a broker with its own database file (the persisted
//! `queue_job` table, as Redis or RabbitMQ keep messages apart from the app's database) and
//! a channel that tells the worker a job is there; and the view's side of it, a request
//! whose transaction can hold jobs back until it commits.

use std::sync::mpsc::{self, Receiver, Sender};

use lab_kit::sqlite::TempDb;
use rusqlite::Connection;
use serde::Serialize;

/// The queue's own storage and the channel to the worker.
#[derive(Debug)]
pub struct Broker {
    db: TempDb,
    wakeups: Sender<i64>,
}

/// One job as the broker persisted it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Job {
    pub id: i64,
    pub message: String,
    /// `queued`, `running`, `done` or `failed`.
    pub state: String,
}

impl Broker {
    /// A fresh broker, and the receiving end the worker takes job ids from.
    pub fn new() -> lab_kit::Result<(Self, Receiver<i64>)> {
        let db = TempDb::scratch()?;
        db.connect()?.execute_batch(
            "CREATE TABLE queue_job (id INTEGER PRIMARY KEY, message TEXT NOT NULL, \
             state TEXT NOT NULL)",
        )?;
        let (wakeups, jobs) = mpsc::channel();
        Ok((Self { db, wakeups }, jobs))
    }

    /// A connection to the broker's storage, for a worker.
    pub fn connect(&self) -> rusqlite::Result<Connection> {
        self.db.connect()
    }

    /// A request that can enqueue into this broker.
    pub fn request(&self) -> rusqlite::Result<Request> {
        Ok(Request {
            broker: self.connect()?,
            wakeups: self.wakeups.clone(),
            on_commit: Vec::new(),
            sent: Vec::new(),
        })
    }

    /// Every job the broker holds, in the order it received them.
    pub fn jobs(&self) -> rusqlite::Result<Vec<Job>> {
        let conn = self.connect()?;
        let mut stmt = conn.prepare("SELECT id, message, state FROM queue_job ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(Job {
                id: r.get(0)?,
                message: r.get(1)?,
                state: r.get(2)?,
            })
        })?;
        rows.collect()
    }
}

/// The view's side of one request: its producer connection to the broker and the jobs its
/// transaction holds back until it commits.
#[derive(Debug)]
pub struct Request {
    broker: Connection,
    wakeups: Sender<i64>,
    on_commit: Vec<String>,
    sent: Vec<i64>,
}

impl Request {
    /// `typeset.delay(...)`: the message is stored by the broker and the worker told, at
    /// once - whatever the request's own transaction does later.
    pub fn send(&mut self, message: &str) -> rusqlite::Result<()> {
        self.broker.execute(
            "INSERT INTO queue_job (message, state) VALUES (?1, 'queued')",
            [message],
        )?;
        let id = self.broker.last_insert_rowid();
        self.sent.push(id);
        // A worker that has stopped can take no more jobs; the job stays in the table.
        let _ = self.wakeups.send(id);
        Ok(())
    }

    /// `transaction.on_commit(lambda: typeset.delay(...))`: the message is sent when the
    /// request's transaction commits, and dropped if it rolls back.
    pub fn on_commit(&mut self, message: String) {
        self.on_commit.push(message);
    }

    /// The transaction committed: send what it held back. What was sent now, in words.
    pub fn committed(&mut self) -> rusqlite::Result<String> {
        let held = std::mem::take(&mut self.on_commit);
        let before = self.sent.len();
        for message in held {
            self.send(&message)?;
        }
        Ok(match &self.sent[before..] {
            [] => "nothing held for the commit".to_owned(),
            now => format!("on commit: job {} sent", join(now)),
        })
    }

    /// The transaction rolled back: what it held back is dropped. What became of the
    /// request's jobs, in words.
    pub fn rolled_back(&mut self) -> String {
        let dropped = std::mem::take(&mut self.on_commit).len();
        match (self.sent.as_slice(), dropped) {
            ([], 0) => "nothing was queued".to_owned(),
            ([], n) => format!("{n} held job(s) dropped"),
            (sent, _) => format!("job {} was sent already and stays queued", join(sent)),
        }
    }

    /// What the request has done with its jobs so far, in words.
    pub fn status(&self) -> String {
        match (self.sent.as_slice(), self.on_commit.len()) {
            ([], 0) => "nothing queued".to_owned(),
            ([], held) => format!("{held} job(s) held until the commit"),
            (sent, _) => format!("job {} sent to the queue", join(sent)),
        }
    }
}

fn join(ids: &[i64]) -> String {
    ids.iter()
        .map(i64::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}
