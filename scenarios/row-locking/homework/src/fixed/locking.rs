//! The fixed variant: it starts as the broken view. Make it right.
//!
//! The lab's runs and tests call the items below; keep their names and signatures.

use postgres::GenericClient;

use crate::{Sale, broken};

/// The read the first locking form uses.
// TODO: the broken variant goes wrong here; fix it.
pub const FOR_UPDATE_SQL: &str = broken::READ_SQL;
/// The read the second form uses: it must never wait behind another buyer.
// TODO: the broken variant goes wrong here; fix it.
pub const NOWAIT_SQL: &str = broken::READ_SQL;

/// The first form's read.
pub fn read_for_update<C: GenericClient>(client: &mut C) -> Result<i64, postgres::Error> {
    Ok(client.query_one(FOR_UPDATE_SQL, &[])?.get(0))
}

/// The second form's read.
pub fn read_nowait<C: GenericClient>(client: &mut C) -> Result<i64, postgres::Error> {
    Ok(client.query_one(NOWAIT_SQL, &[])?.get(0))
}

/// Whether an error means "another buyer holds the row, try again".
pub fn is_lock_not_available(_error: &postgres::Error) -> bool {
    // TODO: the broken variant goes wrong here; fix it.
    false
}

/// The broken view's check and write, after the first form's read, in
/// `transaction.atomic()`.
pub fn buy_for_update(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let seen = read_for_update(&mut tx)?;
    let sale = broken::sell_pg(&mut tx, seen, buyer)?;
    tx.commit()?;
    Ok(sale)
}

/// As [`buy_for_update`] with the second form's read; a buyer who meets another buyer's
/// lock is told to try again.
pub fn buy_nowait(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let seen = match read_nowait(&mut tx) {
        Ok(seen) => seen,
        Err(e) if is_lock_not_available(&e) => return Ok(Sale::TryAgain),
        Err(e) => return Err(e),
    };
    let sale = broken::sell_pg(&mut tx, seen, buyer)?;
    tx.commit()?;
    Ok(sale)
}
