//! What SQLite does with the broken view inside `transaction.atomic()` - a deferred
//! `BEGIN` - instead of autocommit. Not a variant: it shows why the broken SQLite variant
//! runs in autocommit, Django's default.

use lab_kit::Transcript;
use lab_kit::db::{self, Backend, DbStep, World};
use lab_kit::interleave::Slot;

use crate::broken::PURCHASE;
use crate::model::{INITIAL_STOCK, Ledger, Seen};
use crate::run::BUYERS;

/// Both buyers read under SHARED locks; the first write takes RESERVED; the second buyer's
/// write cannot upgrade while the first holds RESERVED, and the first cannot commit while
/// the second holds SHARED. SQLite breaks the deadlock by answering the second writer
/// "database is locked" at once (a busy timeout is not even consulted), Django raises
/// `OperationalError`, `atomic()` rolls back, and only then can the first buyer commit: no
/// oversell - an error page instead.
pub fn deferred_transactions() -> lab_kit::Result<(Ledger, Transcript)> {
    let backend = Backend::Sqlite;
    let world = World::new(backend, &crate::model::schema(backend, INITIAL_STOCK))?;
    let mut sessions = Vec::new();
    for (session, buyer) in BUYERS {
        let seen = Slot::new(0_i64);
        let seen_w = seen.clone();
        let steps = vec![
            DbStep::sql(&format!("{session}_begin"), "BEGIN"),
            DbStep::new(
                &format!("{session}_read"),
                (PURCHASE.read_sql)(backend),
                move |db| {
                    let n = match (PURCHASE.read_stock)(db)? {
                        Seen::Stock(n) => n,
                        Seen::Locked(why) => return Ok(format!("ERROR: {why}")),
                    };
                    seen_w.set(n);
                    Ok(format!("stock={n}"))
                },
            ),
            DbStep::new(&format!("{session}_buy"), PURCHASE.sell_sql, move |db| {
                match (PURCHASE.sell)(db, seen.get(), buyer) {
                    Ok(sale) => Ok(sale.describe()),
                    // What atomic() does with the OperationalError: roll back, re-raise.
                    Err(e) if e.is_busy() => {
                        db.execute("ROLLBACK", &[])?;
                        Ok(format!(
                            "ERROR: {e} -> atomic() rolls back, the customer sees an error page"
                        ))
                    }
                    Err(e) => Err(e),
                }
            }),
            DbStep::sql(&format!("{session}_commit"), "COMMIT"),
        ];
        sessions.push(world.session(session, steps)?);
    }
    let permutation = [
        "s1_begin",
        "s2_begin",
        "s1_read",
        "s2_read",
        "s1_buy",
        "s2_buy",
        "s1_commit",
    ];
    let result = db::run_sessions(&mut sessions, &permutation)?;
    drop(sessions);
    let ledger = Ledger::read(&mut *world.connect()?, INITIAL_STOCK)?;
    Ok((ledger, result.transcript))
}
