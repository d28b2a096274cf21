//! PostgreSQL row locks: `select_for_update()` and its `nowait=True` form.

use postgres::GenericClient;
use postgres::error::SqlState;

use crate::{Sale, broken};

/// `Item.objects.select_for_update().get(pk=1)`.
pub const FOR_UPDATE_SQL: &str = "SELECT stock FROM shop_item WHERE id = 1 FOR UPDATE";
/// `Item.objects.select_for_update(nowait=True).get(pk=1)`.
pub const NOWAIT_SQL: &str = "SELECT stock FROM shop_item WHERE id = 1 FOR UPDATE NOWAIT";

/// The read that locks the row until the transaction ends.
pub fn read_for_update<C: GenericClient>(client: &mut C) -> Result<i64, postgres::Error> {
    // FIX: FOR UPDATE locks the row; a second buyer's FOR UPDATE waits here until the
    // first commits, and then reads the stock the first one wrote.
    Ok(client.query_one(FOR_UPDATE_SQL, &[])?.get(0))
}

/// The read that locks the row or fails at once with `55P03 lock_not_available`.
pub fn read_nowait<C: GenericClient>(client: &mut C) -> Result<i64, postgres::Error> {
    // FIX: NOWAIT never queues behind another buyer: the lock error comes back at once and
    // the view can say "try again" instead of holding a worker while it waits.
    Ok(client.query_one(NOWAIT_SQL, &[])?.get(0))
}

/// Whether an error is PostgreSQL's "could not obtain lock" (NOWAIT met a lock).
pub fn is_lock_not_available(error: &postgres::Error) -> bool {
    error.code() == Some(&SqlState::LOCK_NOT_AVAILABLE)
}

/// The broken view's check and write, after a locking read, in `transaction.atomic()`.
pub fn buy_for_update(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let seen = read_for_update(&mut tx)?;
    let sale = broken::sell_pg(&mut tx, seen, buyer)?;
    tx.commit()?;
    Ok(sale)
}

/// As [`buy_for_update`], but a buyer who meets the lock is told to try again.
pub fn buy_nowait(client: &mut postgres::Client, buyer: &str) -> Result<Sale, postgres::Error> {
    let mut tx = client.transaction()?;
    let seen = match read_nowait(&mut tx) {
        Ok(seen) => seen,
        // The transaction is aborted; dropping it rolls it back.
        Err(e) if is_lock_not_available(&e) => return Ok(Sale::TryAgain),
        Err(e) => return Err(e),
    };
    let sale = broken::sell_pg(&mut tx, seen, buyer)?;
    tx.commit()?;
    Ok(sale)
}
