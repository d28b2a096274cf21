//! The SQLite variants: two sessions on one database file (one connection each, BUSY
//! answered at once), the steps of two buyers, and one explicit permutation each.

use lab_kit::interleave::{self, SqliteSession};
use lab_kit::sqlite::TempDb;
use lab_kit::{Outcome, Transcript};
use rusqlite::Connection;

use crate::{INITIAL_STOCK, Ledger, Sale, Shared, broken, fixed, get, set, shared};

/// The two customers, one per session.
pub const BUYERS: [(&str, &str); 2] = [("s1", "ann"), ("s2", "bob")];

/// A fresh database file with the shop's tables and `stock` lamps.
pub fn shop(stock: i64) -> lab_kit::Result<TempDb> {
    let db = TempDb::new()?;
    db.connect()?.execute_batch(&format!(
        "{}{}",
        crate::SQLITE_SCHEMA,
        crate::seed_sql(stock)
    ))?;
    Ok(db)
}

/// The stock and order count now in the database.
pub fn ledger(conn: &Connection, initial_stock: i64) -> rusqlite::Result<Ledger> {
    Ok(Ledger {
        initial_stock,
        final_stock: conn
            .query_row("SELECT stock FROM shop_item WHERE id = 1", [], |r| r.get(0))?,
        orders: conn.query_row("SELECT count(*) FROM shop_order", [], |r| r.get(0))?,
    })
}

/// Adds to `session` a read step (`<s>_read`) and a step running `sell` on what was
/// read (`<s>_buy`); `sale` receives what the customer was told.
fn read_then_sell(
    session: SqliteSession,
    buyer: &'static str,
    shown_sell: &str,
    sell: fn(&Connection, i64, &str) -> rusqlite::Result<Sale>,
) -> (SqliteSession, Shared<Option<Sale>>) {
    use lab_kit::interleave::SessionDriver as _;
    let name = session.name().to_owned();
    let seen = shared(0_i64);
    let sale = shared(None);
    let (seen_w, sale_w) = (seen.clone(), sale.clone());
    let s = session
        .step(&format!("{name}_read"), broken::READ_SQL, move |c| {
            let n = broken::read_stock(c)?;
            set(&seen, n);
            Ok(format!("stock={n}"))
        })
        .step(&format!("{name}_buy"), shown_sell, move |c| {
            let result = sell(c, get(&seen_w), buyer)?;
            let text = result.describe();
            set(&sale_w, Some(result));
            Ok(text)
        });
    (s, sale)
}

fn finish(
    name: &str,
    db: &TempDb,
    sales: &[Shared<Option<Sale>>; 2],
    transcript: Transcript,
) -> lab_kit::Result<Outcome> {
    let ledger = ledger(&db.connect()?, INITIAL_STOCK)?;
    let told = [(BUYERS[0].1, get(&sales[0])), (BUYERS[1].1, get(&sales[1]))];
    Ok(Outcome::Ran(ledger.report(name, &told, transcript)))
}

/// Both buyers read before either writes, in autocommit: two orders for one lamp.
pub fn broken() -> lab_kit::Result<Outcome> {
    let db = shop(INITIAL_STOCK)?;
    let [(n1, b1), (n2, b2)] = BUYERS;
    let (mut s1, sale1) = read_then_sell(
        SqliteSession::new(n1, db.connect()?),
        b1,
        &broken::shown_sell(b1),
        broken::sell,
    );
    let (mut s2, sale2) = read_then_sell(
        SqliteSession::new(n2, db.connect()?),
        b2,
        &broken::shown_sell(b2),
        broken::sell,
    );
    let permutation = ["s1_read", "s2_read", "s1_buy", "s2_buy"];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation)?;
    finish("broken_sqlite", &db, &[sale1, sale2], result.transcript)
}

/// The same permutation, but the sale is one conditional UPDATE.
pub fn fixed_conditional_update() -> lab_kit::Result<Outcome> {
    let db = shop(INITIAL_STOCK)?;
    let [(n1, b1), (n2, b2)] = BUYERS;
    // The read still happens (the page shows "1 left"); the sale ignores it.
    let sell: fn(&Connection, i64, &str) -> rusqlite::Result<Sale> =
        |c, _seen, buyer| fixed::conditional::buy(c, buyer);
    let (mut s1, sale1) = read_then_sell(
        SqliteSession::new(n1, db.connect()?),
        b1,
        &fixed::conditional::shown_sell(b1),
        sell,
    );
    let (mut s2, sale2) = read_then_sell(
        SqliteSession::new(n2, db.connect()?),
        b2,
        &fixed::conditional::shown_sell(b2),
        sell,
    );
    let permutation = ["s1_read", "s2_read", "s1_buy", "s2_buy"];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation)?;
    finish(
        "fixed_conditional_update_sqlite",
        &db,
        &[sale1, sale2],
        result.transcript,
    )
}

/// Each buyer opens `BEGIN IMMEDIATE` before reading: the second waits (BUSY) until the
/// first commits, then reads 0 and is refused.
pub fn fixed_immediate() -> lab_kit::Result<Outcome> {
    let db = shop(INITIAL_STOCK)?;
    let mut built = Vec::new();
    for (name, buyer) in BUYERS {
        let session = SqliteSession::new(name, db.connect()?)
            .sql(&format!("{name}_begin"), fixed::immediate::BEGIN)
            .sql(&format!("{name}_commit"), "COMMIT");
        built.push(read_then_sell(
            session,
            buyer,
            &broken::shown_sell(buyer),
            broken::sell,
        ));
    }
    let [(mut s1, sale1), (mut s2, sale2)]: [_; 2] =
        built.try_into().expect("one session per buyer");
    // s2 cannot read before s1 commits: its BEGIN IMMEDIATE is what waits.
    let permutation = [
        "s1_begin",
        "s1_read",
        "s2_begin",
        "s1_buy",
        "s1_commit",
        "s2_read",
        "s2_buy",
        "s2_commit",
    ];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation)?;
    finish("fixed_immediate", &db, &[sale1, sale2], result.transcript)
}

/// What SQLite does with the broken view inside `transaction.atomic()` (a deferred
/// transaction): both buyers read under SHARED locks; the first write takes RESERVED; the
/// second buyer's write cannot upgrade while the first holds RESERVED, and the first
/// cannot commit while the second holds SHARED. SQLite breaks the deadlock by answering
/// the second writer "database is locked" at once (no busy timeout helps), Django raises
/// `OperationalError`, `atomic()` rolls back, and only then can the first buyer commit.
/// No oversell - an error page instead. Not a variant: it shows why the broken SQLite
/// variant runs in autocommit, Django's default.
pub fn deferred_transactions() -> lab_kit::Result<(Ledger, Transcript)> {
    let db = shop(INITIAL_STOCK)?;
    let mut built = Vec::new();
    for (name, buyer) in BUYERS {
        let seen = shared(0_i64);
        let seen_w = seen.clone();
        built.push(
            SqliteSession::new(name, db.connect()?)
                .sql(&format!("{name}_begin"), "BEGIN")
                .step(&format!("{name}_read"), broken::READ_SQL, move |c| {
                    set(&seen, broken::read_stock(c)?);
                    Ok(format!("stock={}", get(&seen)))
                })
                .step(&format!("{name}_buy"), &broken::shown_sell(buyer), move |c| {
                    match broken::sell(c, get(&seen_w), buyer) {
                        Ok(sale) => Ok(sale.describe()),
                        // What atomic() does with the OperationalError: roll back, re-raise.
                        Err(e) if lab_kit::sqlite::is_busy(&e) => {
                            c.execute_batch("ROLLBACK")?;
                            Ok(format!(
                                "ERROR: {e} -> atomic() rolls back, the customer sees an error page"
                            ))
                        }
                        Err(e) => Err(e),
                    }
                })
                .sql(&format!("{name}_commit"), "COMMIT"),
        );
    }
    let [mut s1, mut s2]: [SqliteSession; 2] = built.try_into().expect("one session per buyer");
    let permutation = [
        "s1_begin",
        "s2_begin",
        "s1_read",
        "s2_read",
        "s1_buy",
        "s2_buy",
        "s1_commit",
    ];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation)?;
    Ok((ledger(&db.connect()?, INITIAL_STOCK)?, result.transcript))
}
