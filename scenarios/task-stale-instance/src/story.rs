//! One story: a fresh article database and broker, ann's publish request, bob's edit and
//! the worker, as sessions of the interleaving harness run in one explicit permutation;
//! then the row, its history and the queue, judged against the truth computed from the
//! edits that committed.

use lab_kit::interleave::{Interleaving, SessionDriver, Slot, SqliteSession};
use lab_kit::sqlite::{StatementLog, TempDb};
use lab_kit::{Transcript, db};
use rusqlite::Connection;

use crate::model::{self, Article, Task, fix_typo, get_article, save_article};
use crate::queue::{Broker, Job, Request};
use crate::worker::Worker;

/// ann's request and bob's edit, then the worker: the edit is in before the job starts.
pub const EDIT_BEFORE_THE_WORKER_RUNS: &[&str] = &[
    "ann_save",
    "ann_enqueue",
    "ann_commit",
    "bob_edit",
    "worker_load",
    "worker_save",
];
/// The worker has loaded its article when bob's edit lands, and writes after it.
pub const EDIT_WHILE_THE_WORKER_WORKS: &[&str] = &[
    "ann_save",
    "ann_enqueue",
    "ann_commit",
    "worker_load",
    "bob_edit",
    "worker_save",
];
/// ann's request fails after it enqueued the job and rolls back; the worker then runs
/// whatever the queue holds.
pub const REQUEST_ROLLED_BACK: &[&str] =
    &["ann_save", "ann_enqueue", "ann_rollback", "worker_drain"];

/// What one story left behind.
#[derive(Debug)]
pub struct Told {
    pub result: Interleaving,
    /// The row when the story is over.
    pub article: Article,
    /// Every row version written, oldest first (the trigger's record).
    pub history: Vec<String>,
    pub jobs: Vec<Job>,
    /// Whether ann's publish and bob's edit committed: what the truth is computed from.
    pub published: bool,
    pub bob_edited: bool,
}

impl Told {
    /// The row the edits that committed add up to: `(status, body)`.
    pub fn truth(&self) -> (String, String) {
        model::truth(self.published, self.bob_edited)
    }

    /// Whether the row differs from the truth.
    pub fn lost_work(&self) -> bool {
        (self.article.status.clone(), self.article.body.clone()) != self.truth()
    }

    /// The committed work the row does not show, in words.
    pub fn lost(&self) -> Vec<String> {
        model::lost(&self.article, self.published, self.bob_edited)
    }

    pub fn transcript(&self) -> &Transcript {
        &self.result.transcript
    }
}

/// Runs `permutation` of ann's, bob's and the worker's steps with `task` on a fresh world.
pub fn tell(task: Task, permutation: &[&str]) -> lab_kit::Result<Told> {
    // One world per interleaving: durability plays no part, so no commit waits for the
    // disk (this run builds 2 databases for each of dozens of schedules).
    let db = TempDb::scratch()?;
    model::seed(&db.connect()?)?;
    let (broker, jobs) = Broker::new()?;
    let mut sessions: Vec<Box<dyn SessionDriver>> = vec![
        Box::new(ann(task, db.connect()?, broker.request()?)?),
        Box::new(bob(db.connect()?)?),
        Box::new(Worker::spawn(task, db.connect()?, broker.connect()?, jobs)?),
    ];
    let result = db::run_sessions(&mut sessions, permutation)?;
    // The worker thread ends here, before the database it works on goes away.
    drop(sessions);
    let committed =
        |step: &str| matches!(result.step(step), Some(r) if matches!(r.outcome, Some(Ok(_))));
    let conn = db.connect()?;
    Ok(Told {
        published: committed("ann_commit"),
        bob_edited: committed("bob_edit"),
        article: get_article(&conn, model::ARTICLE).map_err(lab_kit::Error::scenario)?,
        history: model::history(&conn)?,
        jobs: broker.jobs()?,
        result,
    })
}

/// ann's publish view: `with transaction.atomic(): article = get(); article.status =
/// "published"; article.save(); <enqueue the job>`, committed or rolled back.
fn ann(task: Task, mut conn: Connection, request: Request) -> lab_kit::Result<SqliteSession> {
    let log = StatementLog::attach_expanded(&mut conn)?;
    let article = Slot::new(None::<Article>);
    let request = Slot::new(Some(request));
    let (saved, (enqueue_req, commit_req, rollback_req)) =
        (article.clone(), (request.clone(), request.clone(), request));
    let sent = move |log: &StatementLog| log.take().join("; ");
    let (l1, l2, l3) = (log.clone(), log.clone(), log);
    Ok(SqliteSession::new("ann", conn)
        .step(
            "ann_save",
            "BEGIN; get(pk=1); status = 'published'; save()",
            move |conn| {
                conn.execute_batch("BEGIN")?;
                let mut article = get_article(conn, model::ARTICLE).map_err(into_sqlite)?;
                article.status = "published".to_owned();
                save_article(conn, &mut article)?;
                saved.set(Some(article));
                Ok(sent(&l1))
            },
        )
        .step("ann_enqueue", "enqueue the typesetting job", move |_| {
            let mut req = enqueue_req.take().expect("the request is there");
            let article = article.get().expect("ann saved the article first");
            let done = (task.enqueue)(&mut req, &article).map(|()| req.status());
            enqueue_req.set(Some(req));
            done
        })
        .step(
            "ann_commit",
            "COMMIT (then the on-commit callbacks)",
            move |conn| {
                conn.execute_batch("COMMIT")?;
                let mut req = commit_req.take().expect("the request is there");
                let done = req.committed().map(|what| format!("{}; {what}", sent(&l2)));
                commit_req.set(Some(req));
                done
            },
        )
        .step("ann_rollback", "ROLLBACK (the view failed)", move |conn| {
            conn.execute_batch("ROLLBACK")?;
            let mut req = rollback_req.take().expect("the request is there");
            let text = format!("{}; {}", sent(&l3), req.rolled_back());
            rollback_req.set(Some(req));
            Ok(text)
        }))
}

/// bob's edit view, in autocommit: `article = get(); article.body = <typo fixed>;
/// article.save()`.
fn bob(mut conn: Connection) -> lab_kit::Result<SqliteSession> {
    let log = StatementLog::attach_expanded(&mut conn)?;
    Ok(SqliteSession::new("bob", conn).step(
        "bob_edit",
        "get(pk=1); body = <'Teh' fixed>; save()",
        move |conn| {
            log.take();
            let mut article = get_article(conn, model::ARTICLE).map_err(into_sqlite)?;
            article.body = fix_typo(&article.body);
            save_article(conn, &mut article)?;
            Ok(log.take().join("; "))
        },
    ))
}

/// A session's step reports SQLite's own error (BUSY must stay BUSY to mean waiting);
/// anything else from the model layer becomes one.
fn into_sqlite(error: model::TaskError) -> rusqlite::Error {
    match error {
        model::TaskError::Sqlite(e) => e,
        other => rusqlite::Error::ToSqlConversionFailure(Box::new(other)),
    }
}
