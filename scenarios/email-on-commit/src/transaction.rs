//! Django's transaction layer in miniature: `atomic()` blocks (savepoints when nested) on
//! one SQLite connection, the callbacks to run once the outermost block has committed,
//! and the test helpers that never commit.

use rusqlite::Connection;

/// A callback that runs after the outermost `atomic()` block committed.
pub type Callback = Box<dyn FnOnce() + Send>;

/// One connection, as Django holds it per thread: whether an `atomic()` block is open
/// and how deep, and the callbacks waiting for its commit.
pub struct Db {
    conn: Connection,
    /// How many `atomic()` blocks are open: 0 in autocommit, 1 inside the outermost.
    depth: usize,
    /// Each callback with the depth of the block it was registered in.
    pending: Vec<(usize, Callback)>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("depth", &self.depth)
            .field("pending", &self.pending.len())
            .finish_non_exhaustive()
    }
}

impl Db {
    /// A connection in autocommit, as a request or a shell starts with.
    pub fn new(conn: Connection) -> Self {
        Self {
            conn,
            depth: 0,
            pending: Vec::new(),
        }
    }

    /// The SQLite connection, to run statements on.
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Whether an `atomic()` block is open.
    pub fn in_atomic_block(&self) -> bool {
        self.depth > 0
    }

    /// `with transaction.atomic():` - `BEGIN` ... `COMMIT` for the outermost block, a
    /// savepoint inside another. An error rolls the block back and drops the callbacks it
    /// registered; a commit of the outermost block runs every callback, in order.
    pub fn atomic<T, E: From<rusqlite::Error>>(
        &mut self,
        body: impl FnOnce(&mut Self) -> Result<T, E>,
    ) -> Result<T, E> {
        self.enter()?;
        let result = body(self);
        match result {
            Ok(value) => match self.exit_committing() {
                Ok(()) => Ok(value),
                Err(e) => Err(e.into()),
            },
            Err(e) => {
                // The body's error is the one to report; a failed rollback adds nothing.
                let _ = self.exit_rolling_back();
                Err(e)
            }
        }
    }

    /// `transaction.on_commit(callback)`: inside an `atomic()` block the callback waits
    /// for the outermost commit (and is dropped if its block rolls back); in autocommit
    /// there is nothing to wait for and it runs at once.
    pub fn on_commit(&mut self, callback: impl FnOnce() + Send + 'static) {
        if self.depth == 0 {
            callback();
        } else {
            self.pending.push((self.depth, Box::new(callback)));
        }
    }

    /// What Django's `TestCase` does around every test: the test runs inside an
    /// `atomic()` block that is always rolled back, so nothing it wrote stays - and the
    /// outermost block never commits.
    pub fn never_committing<T>(
        &mut self,
        test: impl FnOnce(&mut Self) -> T,
    ) -> rusqlite::Result<T> {
        self.enter()?;
        let value = test(self);
        self.exit_rolling_back()?;
        Ok(value)
    }

    /// `TestCase.captureOnCommitCallbacks(execute=...)`: the callbacks registered while
    /// `body` ran, counted and - when `execute` - run now, as the test's commit would.
    pub fn capture_on_commit_callbacks<T>(
        &mut self,
        execute: bool,
        body: impl FnOnce(&mut Self) -> T,
    ) -> (T, usize) {
        let start = self.pending.len();
        let value = body(self);
        let captured: Vec<(usize, Callback)> = self.pending.drain(start..).collect();
        let count = captured.len();
        if execute {
            for (_, callback) in captured {
                callback();
            }
        } else {
            self.pending.extend(captured);
        }
        (value, count)
    }

    fn enter(&mut self) -> rusqlite::Result<()> {
        let sql = match self.depth {
            0 => "BEGIN".to_owned(),
            d => format!("SAVEPOINT s{d}"),
        };
        self.conn.execute_batch(&sql)?;
        self.depth += 1;
        Ok(())
    }

    fn exit_committing(&mut self) -> rusqlite::Result<()> {
        let depth = self.depth;
        let sql = match depth {
            1 => "COMMIT".to_owned(),
            d => format!("RELEASE SAVEPOINT s{}", d - 1),
        };
        if let Err(e) = self.conn.execute_batch(&sql) {
            let _ = self.exit_rolling_back();
            return Err(e);
        }
        self.depth -= 1;
        if depth > 1 {
            // The block's callbacks now belong to the block around it.
            for (registered, _) in &mut self.pending {
                *registered = (*registered).min(depth - 1);
            }
        } else {
            for (_, callback) in std::mem::take(&mut self.pending) {
                callback();
            }
        }
        Ok(())
    }

    fn exit_rolling_back(&mut self) -> rusqlite::Result<()> {
        let depth = self.depth;
        self.depth -= 1;
        self.pending.retain(|(registered, _)| *registered < depth);
        if depth > 1 {
            let name = format!("s{}", depth - 1);
            self.conn.execute_batch(&format!(
                "ROLLBACK TO SAVEPOINT {name}; RELEASE SAVEPOINT {name}"
            ))
        } else {
            self.conn.execute_batch("ROLLBACK")
        }
    }
}
