//! One story's world: a SQLite file with the shop, the payment provider and the warehouse
//! on loopback, the gates their answers go through, and an observer of what is committed.

use lab_kit::http::ThreadServer;
use lab_kit::interleave::Gates;
use lab_kit::sqlite::{StatementLog, TempDb};
use rusqlite::Connection;
use serde::Serialize;

use crate::model::SCHEMA;
use crate::outbound::Outbound;
use crate::services::{self, Charge, Ledger};

/// An order as the database holds it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredOrder {
    pub id: i64,
    pub status: String,
    pub charge: String,
}

/// The database, the two services and the provider's ledger.
#[derive(Debug)]
pub struct World {
    pub gates: Gates,
    pub ledger: Ledger,
    payments: ThreadServer,
    warehouse: ThreadServer,
    db: TempDb,
}

impl World {
    /// A fresh shop, a payment provider and a warehouse (`up` or down) whose answers wait
    /// for a step of the story.
    pub fn new(warehouse_up: bool) -> lab_kit::Result<Self> {
        let db = TempDb::new()?;
        db.connect()?.execute_batch(SCHEMA)?;
        let (gates, ledger) = (Gates::new(), Ledger::default());
        let payments =
            lab_kit::http::serve_on_thread(services::payments(gates.clone(), ledger.clone()))?;
        let warehouse =
            lab_kit::http::serve_on_thread(services::warehouse(gates.clone(), warehouse_up))?;
        Ok(Self {
            gates,
            ledger,
            payments,
            warehouse,
            db,
        })
    }

    /// The app's clients for this world's services.
    pub fn outbound(&self) -> Outbound {
        Outbound::new(
            self.payments.url("/charges"),
            self.warehouse.url("/shipments"),
        )
    }

    /// A connection of the app's own (one per request), and the log of what it runs.
    pub fn app_connection(&self) -> lab_kit::Result<(Connection, StatementLog)> {
        let mut conn = self.db.connect()?;
        let log = StatementLog::attach(&mut conn)?;
        Ok((conn, log))
    }

    /// A plain connection: another writer's, or the observer's.
    pub fn connect(&self) -> lab_kit::Result<Connection> {
        Ok(self.db.connect()?)
    }

    /// Every order the database holds now.
    pub fn orders(&self) -> lab_kit::Result<Vec<StoredOrder>> {
        let conn = self.db.connect()?;
        let mut stmt = conn.prepare("SELECT id, status, charge FROM shop_order ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            Ok(StoredOrder {
                id: r.get(0)?,
                status: r.get(1)?,
                charge: r.get(2)?,
            })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// A customer's address as committed.
    pub fn address(&self, customer: i64) -> lab_kit::Result<String> {
        let sql = "SELECT address FROM shop_customer WHERE id = ?1";
        Ok(self
            .db
            .connect()?
            .query_row(sql, [customer], |r| r.get(0))?)
    }

    /// The charges the payment provider made.
    pub fn charges(&self) -> Vec<Charge> {
        self.ledger.charges()
    }
}
