//! The worker: a real thread with its own connections (the app's database and the
//! broker's), taking job ids from the queue's channel. It does nothing on its own: the
//! interleaving harness drives it one step at a time through a control channel - the
//! explicit barrier - so a schedule decides when it loads and when it writes, never a
//! sleep. A step with no job to take, or that meets the write lock, is waiting.

use std::sync::mpsc::{self, Receiver, Sender};
use std::thread::JoinHandle;

use lab_kit::interleave::{Progress, SessionDriver};
use lab_kit::sqlite::StatementLog;
use rusqlite::Connection;

use crate::model::{Article, Task, TaskError};

/// The steps the harness can ask of the worker.
pub const STEPS: [&str; 3] = ["worker_load", "worker_save", "worker_drain"];

/// The harness's handle on the worker thread.
#[derive(Debug)]
pub struct Worker {
    control: Option<Sender<String>>,
    replies: Receiver<Progress>,
    thread: Option<JoinHandle<()>>,
    pending: Option<String>,
}

impl Worker {
    /// Starts the worker thread for `task` on `app` (the app's database) and `broker` (the
    /// queue's), taking job ids from `jobs`.
    pub fn spawn(
        task: Task,
        mut app: Connection,
        broker: Connection,
        jobs: Receiver<i64>,
    ) -> lab_kit::Result<Self> {
        let log = StatementLog::attach_expanded(&mut app)?;
        let (control, steps) = mpsc::channel::<String>();
        let (answer, replies) = mpsc::channel();
        let mut state = State {
            task,
            app,
            log,
            broker,
            jobs,
            job: None,
            article: None,
        };
        let thread = std::thread::spawn(move || {
            for step in steps {
                if answer.send(state.step(&step)).is_err() {
                    return;
                }
            }
        });
        Ok(Self {
            control: Some(control),
            replies,
            thread: Some(thread),
            pending: None,
        })
    }

    fn ask(&mut self, step: &str) -> Progress {
        let sent = self.control.as_ref().map(|c| c.send(step.to_owned()));
        let progress = match sent {
            Some(Ok(())) => self
                .replies
                .recv()
                .unwrap_or_else(|_| Progress::Done(Err("the worker thread stopped".to_owned()))),
            _ => Progress::Done(Err("the worker thread stopped".to_owned())),
        };
        self.pending = matches!(progress, Progress::Waiting(_)).then(|| step.to_owned());
        progress
    }
}

impl Drop for Worker {
    fn drop(&mut self) {
        // Closing the control channel ends the thread's loop.
        self.control = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl SessionDriver for Worker {
    fn name(&self) -> &str {
        "worker"
    }

    fn step_names(&self) -> Vec<String> {
        STEPS.iter().map(|s| (*s).to_owned()).collect()
    }

    fn describe(&self, step: &str) -> String {
        match step {
            "worker_load" => "take the next job and load its article".to_owned(),
            "worker_save" => "typeset the body and write the article".to_owned(),
            _ => "run every job in the queue, start to end".to_owned(),
        }
    }

    fn start(&mut self, step: &str) -> Progress {
        self.ask(step)
    }

    fn resume(&mut self) -> Progress {
        match self.pending.clone() {
            Some(step) => self.ask(&step),
            None => Progress::Done(Err("nothing to resume".to_owned())),
        }
    }
}

/// What the worker thread holds: its connections, the job it took, the article it loaded.
struct State {
    task: Task,
    app: Connection,
    log: StatementLog,
    broker: Connection,
    jobs: Receiver<i64>,
    job: Option<(i64, String)>,
    article: Option<Article>,
}

impl State {
    fn step(&mut self, step: &str) -> Progress {
        self.log.take();
        let outcome = match step {
            "worker_load" => self.load(),
            "worker_save" => self.save(),
            "worker_drain" => self.drain(),
            other => Err(Stop::Failed(format!("no step `{other}`"))),
        };
        match outcome {
            Ok(text) => Progress::Done(Ok(text)),
            Err(Stop::Wait(why)) => Progress::Waiting(why),
            Err(Stop::Failed(why)) => {
                self.finish("failed");
                Progress::Done(Err(why))
            }
        }
    }

    /// Takes the next job (or keeps the one it took) and loads its article.
    fn load(&mut self) -> Result<String, Stop> {
        if self.job.is_none() {
            // Empty, or no producer left: either way there is no job to take yet.
            let Ok(id) = self.jobs.try_recv() else {
                return Err(Stop::Wait("the queue is empty".to_owned()));
            };
            let message: String = self.broker.query_row(
                "SELECT message FROM queue_job WHERE id = ?1",
                [id],
                |r| r.get(0),
            )?;
            self.broker
                .execute("UPDATE queue_job SET state = 'running' WHERE id = ?1", [id])?;
            self.job = Some((id, message));
        }
        let (id, message) = self.job.clone().expect("a job was taken above");
        let article = (self.task.load)(&self.app, &message)?;
        let text = format!(
            "job {id} {message}: {}loaded v{} {}: {}",
            self.sql(),
            article.version,
            article.status,
            article.body
        );
        self.article = Some(article);
        Ok(text)
    }

    /// Writes what the task made of the loaded article.
    fn save(&mut self) -> Result<String, Stop> {
        let article = self
            .article
            .clone()
            .ok_or_else(|| Stop::Failed("no article was loaded".to_owned()))?;
        (self.task.save)(&self.app, article)?;
        let text = self.sql();
        self.finish("done");
        Ok(text.trim_end_matches(" -> ").to_owned())
    }

    /// Every job there is, each loaded and saved at once.
    fn drain(&mut self) -> Result<String, Stop> {
        let mut ran = Vec::new();
        loop {
            match self.load() {
                Ok(loaded) => ran.push(loaded),
                Err(Stop::Wait(_)) if self.job.is_none() => break,
                Err(stop) => return Err(stop),
            }
            ran.push(self.save()?);
        }
        if ran.is_empty() {
            return Ok("the queue is empty: nothing to run".to_owned());
        }
        Ok(ran.join("; "))
    }

    /// The statements this step sent to the app's database so far, as ` -> ` prefixed text.
    fn sql(&self) -> String {
        let sent = self.log.take();
        if sent.is_empty() {
            String::new()
        } else {
            format!("{} -> ", sent.join("; "))
        }
    }

    fn finish(&mut self, state: &str) {
        if let Some((id, _)) = self.job.take() {
            // The broker is the worker's own file: nothing else writes it while the worker
            // runs a step, and a failure here would change no verdict.
            let _ = self
                .broker
                .execute("UPDATE queue_job SET state = ?1 WHERE id = ?2", (state, id));
        }
        self.article = None;
    }
}

/// Why a step stopped short.
enum Stop {
    /// Not yet: no job, or the database is locked. Tried again when the harness resumes it.
    Wait(String),
    Failed(String),
}

impl From<TaskError> for Stop {
    fn from(error: TaskError) -> Self {
        if error.is_busy() {
            Self::Wait("SQLITE_BUSY, database is locked".to_owned())
        } else {
            Self::Failed(error.to_string())
        }
    }
}

impl From<rusqlite::Error> for Stop {
    fn from(error: rusqlite::Error) -> Self {
        TaskError::from(error).into()
    }
}
