//! The SQLite variants: two sessions on one database file (one connection each, BUSY
//! answered at once), the steps of two buyers, and one explicit permutation each.

use lab_kit::Transcript;
use lab_kit::interleave::{self, SqliteSession};
use lab_kit::sqlite::TempDb;
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
) -> lab_kit::Result<lab_kit::Report> {
    let ledger = ledger(&db.connect()?, INITIAL_STOCK)?;
    let told = [(BUYERS[0].1, get(&sales[0])), (BUYERS[1].1, get(&sales[1]))];
    Ok(ledger.report(name, &told, transcript))
}

/// The SQLite variants' two buyers on `db`, each session's steps declared in the order
/// that buyer runs them, and where each customer's answer lands.
///
/// # Panics
/// If `variant` is not one of the SQLite variants.
pub fn buyers(
    variant: &str,
    db: &TempDb,
) -> lab_kit::Result<[(SqliteSession, Shared<Option<Sale>>); 2]> {
    // The read still happens in the conditional fix (the page shows "1 left"); the sale
    // ignores it.
    let conditional: fn(&Connection, i64, &str) -> rusqlite::Result<Sale> =
        |c, _seen, buyer| fixed::conditional::buy(c, buyer);
    let mut built = Vec::new();
    for (name, buyer) in BUYERS {
        let session = SqliteSession::new(name, db.connect()?);
        built.push(match variant {
            "broken_sqlite" => {
                read_then_sell(session, buyer, &broken::shown_sell(buyer), broken::sell)
            }
            "fixed_conditional_update_sqlite" => read_then_sell(
                session,
                buyer,
                &fixed::conditional::shown_sell(buyer),
                conditional,
            ),
            "fixed_immediate" => {
                let session = session.sql(&format!("{name}_begin"), fixed::immediate::BEGIN);
                let (session, sale) =
                    read_then_sell(session, buyer, &broken::shown_sell(buyer), broken::sell);
                (session.sql(&format!("{name}_commit"), "COMMIT"), sale)
            }
            other => panic!("{other} is not a SQLite variant of row-locking"),
        });
    }
    Ok(built.try_into().expect("one session per buyer"))
}

/// Runs `variant`'s buyers through `permutation` on a fresh shop.
fn story(variant: &str, permutation: &[&str]) -> lab_kit::Result<lab_kit::Report> {
    let db = shop(INITIAL_STOCK)?;
    let [(mut s1, sale1), (mut s2, sale2)] = buyers(variant, &db)?;
    let result = interleave::run(&mut [&mut s1, &mut s2], permutation)?;
    finish(variant, &db, &[sale1, sale2], result.transcript)
}

/// Both buyers read before either writes, in autocommit: two orders for one lamp.
pub fn broken() -> lab_kit::Result<lab_kit::Report> {
    story("broken_sqlite", &["s1_read", "s2_read", "s1_buy", "s2_buy"])
}

/// The same permutation, but the sale is one conditional UPDATE.
pub fn fixed_conditional_update() -> lab_kit::Result<lab_kit::Report> {
    story(
        "fixed_conditional_update_sqlite",
        &["s1_read", "s2_read", "s1_buy", "s2_buy"],
    )
}

/// Each buyer opens `BEGIN IMMEDIATE` before reading: the second waits (BUSY) until the
/// first commits, then reads 0 and is refused. (s2 cannot read before s1 commits: its
/// BEGIN IMMEDIATE is what waits.)
pub fn fixed_immediate() -> lab_kit::Result<lab_kit::Report> {
    story(
        "fixed_immediate",
        &[
            "s1_begin",
            "s1_read",
            "s2_begin",
            "s1_buy",
            "s1_commit",
            "s2_read",
            "s2_buy",
            "s2_commit",
        ],
    )
}
