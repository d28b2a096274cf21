//! The fixed variant: it starts as the broken view. Make it right.
//!
//! The lab's runs and tests call the items below; keep their names and signatures.

use rusqlite::Connection;

use crate::{Sale, broken};

/// How the purchase's transaction begins (`transaction.atomic()` on SQLite).
// TODO: the broken variant goes wrong here; fix it.
pub const BEGIN: &str = "BEGIN";

/// The same read, check and write as the broken view, inside a transaction.
pub fn buy(conn: &Connection, buyer: &str) -> rusqlite::Result<Sale> {
    conn.execute_batch(BEGIN)?;
    let result = broken::read_stock(conn).and_then(|seen| broken::sell(conn, seen, buyer));
    match result {
        Ok(sale) => {
            conn.execute_batch("COMMIT")?;
            Ok(sale)
        }
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}
