//! The fixed variant: it starts as the broken view. Make it right.
//!
//! The lab's runs and tests call the items below; keep their names and signatures.

use postgres::GenericClient;
use rusqlite::Connection;

use crate::{Sale, broken};

/// What the sell step looks like in a transcript.
pub fn shown_sell(buyer: &str) -> String {
    broken::shown_sell(buyer)
}

/// The purchase on SQLite.
pub fn buy(conn: &Connection, buyer: &str) -> rusqlite::Result<Sale> {
    // TODO: the broken variant goes wrong here; fix it.
    broken::buy(conn, buyer)
}

/// The sale on PostgreSQL, inside the caller's transaction.
pub fn sell_pg<C: GenericClient>(client: &mut C, buyer: &str) -> Result<Sale, postgres::Error> {
    // TODO: the broken variant goes wrong here; fix it.
    let seen = broken::read_stock_pg(client)?;
    broken::sell_pg(client, seen, buyer)
}

/// The purchase on PostgreSQL, in `transaction.atomic()`.
pub fn buy_pg(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let sale = sell_pg(&mut tx, buyer)?;
    tx.commit()?;
    Ok(sale)
}
