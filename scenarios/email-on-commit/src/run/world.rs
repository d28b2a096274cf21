//! One story's world: a SQLite file with the seed, the mail provider on loopback, the
//! gates its answers go through, and an observer that reads what is committed.

use lab_kit::http::ThreadServer;
use lab_kit::interleave::Gates;
use lab_kit::sqlite::{StatementLog, TempDb};

use crate::mail::Mailer;
use crate::model::SCHEMA;
use crate::provider::{self, Inbox};
use crate::transaction::Db;

/// The database, the provider and what it took.
#[derive(Debug)]
pub struct World {
    pub gates: Gates,
    pub inbox: Inbox,
    server: ThreadServer,
    db: TempDb,
}

impl World {
    /// A fresh database with carol in it, and the provider, holding its answers until a
    /// step releases them (or not, with open `gates`).
    pub fn new(gates: Gates) -> lab_kit::Result<Self> {
        let db = TempDb::new()?;
        db.connect()?.execute_batch(SCHEMA)?;
        let inbox = Inbox::default();
        let server =
            lab_kit::http::serve_on_thread(provider::router(gates.clone(), inbox.clone()))?;
        Ok(Self {
            gates,
            inbox,
            server,
            db,
        })
    }

    /// The app's mail backend, pointed at this world's provider.
    pub fn mailer(&self) -> Mailer {
        Mailer::new(self.server.url("/messages"))
    }

    /// A connection of the app's own (one per request), and the log of what it runs.
    pub fn app_db(&self) -> lab_kit::Result<(Db, StatementLog)> {
        let mut conn = self.db.connect()?;
        let log = StatementLog::attach(&mut conn)?;
        Ok((Db::new(conn), log))
    }

    /// A plain connection: the provider's own, or the observer's.
    pub fn connect(&self) -> lab_kit::Result<rusqlite::Connection> {
        Ok(self.db.connect()?)
    }

    /// Every user the database holds now, `(id, email)` by id.
    pub fn users(&self) -> lab_kit::Result<Vec<(i64, String)>> {
        let conn = self.db.connect()?;
        let mut stmt = conn.prepare("SELECT id, email FROM accounts_user ORDER BY id")?;
        let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }
}
