//! A small model layer with Django's post_save mechanism: `save()` writes the row and then
//! calls every receiver registered for its model, which may save other rows in turn. The
//! hook runner keeps the chain of saves in progress and refuses a save nested
//! [`GUARD_DEPTH`] deep, reporting the path instead of overflowing the stack.

use std::collections::BTreeMap;

use lab_kit::Transcript;
use rusqlite::{Connection, OptionalExtension};

use crate::model::{GUARD_DEPTH, Instance, SaveError, SyncFn, label};

/// One connected receiver: when a row of its sender is saved, `sync` brings `target`'s row
/// in step.
#[derive(Clone)]
struct Receiver {
    target: String,
    sync: SyncFn,
}

/// The model layer on one connection: the receivers by sender model (Django's signal
/// registry for post_save), the saves in progress, and what happened, in order.
pub struct Orm<'c> {
    conn: &'c Connection,
    receivers: BTreeMap<String, Vec<Receiver>>,
    chain: Vec<String>,
    log: Transcript,
}

impl std::fmt::Debug for Orm<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Orm")
            .field("senders", &self.receivers.keys().collect::<Vec<_>>())
            .field("chain", &self.chain)
            .finish_non_exhaustive()
    }
}

impl<'c> Orm<'c> {
    /// A model layer on `conn` with no receiver connected yet.
    pub fn new(conn: &'c Connection) -> Self {
        Self {
            conn,
            receivers: BTreeMap::new(),
            chain: Vec::new(),
            log: Transcript::new(),
        }
    }

    /// `post_save.connect(receiver, sender=...)`: after each save of a `sender` row, `sync`
    /// runs for `target`. Receivers run in the order they were connected.
    pub fn connect(&mut self, sender: &str, target: &str, sync: SyncFn) {
        self.receivers
            .entry(sender.to_owned())
            .or_default()
            .push(Receiver {
                target: target.to_owned(),
                sync,
            });
    }

    /// `Model.objects.get(pk=id)`: the row as the table holds it now.
    pub fn get(&mut self, model: &str, id: i64) -> Result<Instance, SaveError> {
        let sql = format!("SELECT email FROM app_{model} WHERE id = ?1");
        let email: Option<String> = self.conn.query_row(&sql, [id], |r| r.get(0)).optional()?;
        let email = email.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        self.note(format!("{sql} [{id}] -> email={email}"));
        Ok(Instance {
            model: model.to_owned(),
            id,
            email,
        })
    }

    /// `instance.save()`: the UPDATE of every column, then post_save - each receiver of the
    /// row's model, in order, any of which may save again. A save nested [`GUARD_DEPTH`]
    /// saves deep is refused before it writes, with the whole chain as the error.
    pub fn save(&mut self, instance: &Instance) -> Result<(), SaveError> {
        let row = instance.label();
        if self.chain.len() >= GUARD_DEPTH {
            let mut path = self.chain.clone();
            path.push(row);
            let error = SaveError::Recursion { path };
            self.note(format!("hook runner: {error}"));
            return Err(error);
        }
        let sql = format!("UPDATE app_{} SET email = ?1 WHERE id = ?2", instance.model);
        let n = self.conn.execute(&sql, (&instance.email, instance.id))?;
        self.note(format!(
            "save {row}: {sql} [{}, {}] -> {n} row",
            instance.email, instance.id
        ));
        let receivers = self
            .receivers
            .get(&instance.model)
            .cloned()
            .unwrap_or_default();
        self.chain.push(row.clone());
        let mut sent = Ok(());
        for receiver in receivers {
            self.note(format!(
                "post_save({row}) -> sync_email(target={})",
                receiver.target
            ));
            sent = (receiver.sync)(self, instance, &receiver.target);
            if sent.is_err() {
                break;
            }
        }
        self.chain.pop();
        sent
    }

    /// `Model.objects.filter(pk=id).update(email=...)`: one UPDATE statement. How many rows
    /// it changed.
    pub fn update(&mut self, model: &str, id: i64, email: &str) -> Result<usize, SaveError> {
        let sql = format!("UPDATE app_{model} SET email = ?1 WHERE id = ?2");
        let n = self.conn.execute(&sql, (email, id))?;
        self.note(format!("{sql} [{email}, {id}] -> {n} row"));
        Ok(n)
    }

    /// What happened, in order; each line is indented by the saves in progress.
    pub fn into_transcript(self) -> Transcript {
        self.log
    }

    /// Adds a line to the transcript, by the saves in progress (`app` outside any).
    pub(crate) fn note(&mut self, text: String) {
        let actor = if self.chain.is_empty() {
            "app".to_owned()
        } else {
            format!("depth {}", self.chain.len())
        };
        self.log.push(&actor, text);
    }
}

/// How many times the database recorded a write of each row (the `lab_row_write` triggers),
/// by row label: rows never written are absent.
pub fn row_writes(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    let mut stmt = conn.prepare(
        "SELECT model, row_id, count(*) FROM lab_row_write GROUP BY model, row_id ORDER BY model, row_id",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((label(&r.get::<_, String>(0)?, r.get(1)?), r.get(2)?))
    })?;
    rows.collect()
}
