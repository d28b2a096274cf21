//! A variant's story: two buyers' sessions built from one module's `PURCHASE` on a fresh
//! shop (SQLite file or PostgreSQL schema), one explicit permutation, and the ledger
//! judged against the truth that orders never outnumber the lamps.

use lab_kit::Report;
use lab_kit::db::{self, Backend, DbStep, World};
use lab_kit::interleave::{Interleaving, Slot};

use crate::model::{INITIAL_STOCK, Ledger, Purchase, Sale, Seen};

/// The two customers, one session each.
pub const BUYERS: [(&str, &str); 2] = [("s1", "ann"), ("s2", "bob")];

/// SQLite in autocommit: both read before either buys.
pub const READS_FIRST: &[&str] = &["s1_read", "s2_read", "s1_buy", "s2_buy"];

/// Bob's first step, the begin, is what waits, so he cannot read before ann commits.
pub const BEGIN_WAITS: &[&str] = &[
    "s1_begin",
    "s1_read",
    "s2_begin",
    "s1_buy",
    "s1_commit",
    "s2_read",
    "s2_buy",
    "s2_commit",
];

/// PostgreSQL inside transactions: both read, both buy, then both commit.
pub const PG_READS_FIRST: &[&str] = &[
    "s1_begin",
    "s1_read",
    "s2_begin",
    "s2_read",
    "s1_buy",
    "s2_buy",
    "s1_commit",
    "s2_commit",
];

/// A locking read: bob's read waits, so ann buys and commits before he can go on.
pub const PG_LOCKING_READ: &[&str] = &[
    "s1_begin",
    "s1_read",
    "s2_begin",
    "s2_read",
    "s1_buy",
    "s1_commit",
    "s2_buy",
    "s2_commit",
];

/// Bob's read is refused at once; his transaction ends, and he tries the whole view again.
/// The same order as [`PG_READS_FIRST`] (under which the broken view sells twice), then
/// the retry.
pub const PG_READ_REFUSED: &[&str] = &[
    "s1_begin",
    "s1_read",
    "s2_begin",
    "s2_read",
    "s1_buy",
    "s2_buy",
    "s1_commit",
    "s2_commit",
    "s2_retry",
];

/// Runs `purchase` for both buyers through `permutation` on a fresh shop on `backend`.
pub fn story(
    purchase: &'static Purchase,
    backend: Backend,
    permutation: &[&str],
) -> lab_kit::Result<Report> {
    let world = World::new(backend, &crate::model::schema(backend, INITIAL_STOCK))?;
    let mut sessions = Vec::new();
    let mut told = Vec::new();
    for (session, buyer) in BUYERS {
        let (steps, sale) = buyer_steps(session, buyer, purchase, backend);
        sessions.push(world.session(session, steps)?);
        told.push((buyer, sale));
    }
    let result = db::run_sessions(&mut sessions, permutation)?;
    drop(sessions);
    let ledger = Ledger::read(&mut *world.connect()?, INITIAL_STOCK)?;
    let told: Vec<(&str, Option<Sale>)> = told.iter().map(|(b, s)| (*b, s.get())).collect();
    Ok(report(&ledger, &told, result)
        .observe("permutation", permutation)
        .observe("locking_clause", db::locking_clauses(purchase.read_sql)))
}

/// A buyer's steps, declared in the order the view runs them: `<s>_begin` and
/// `<s>_commit` when the view opens a transaction on this backend, `<s>_read`, `<s>_buy`;
/// then `<s>_rollback` and `<s>_retry` (the whole view again) for a customer told to try
/// again. The slot receives what the customer was told last.
pub fn buyer_steps(
    session: &str,
    buyer: &'static str,
    purchase: &'static Purchase,
    backend: Backend,
) -> (Vec<DbStep>, Slot<Option<Sale>>) {
    let seen = Slot::new(None::<Seen>);
    let told = Slot::new(None::<Sale>);
    let begin = (purchase.begin)(backend);
    let mut steps = Vec::new();
    if let Some(sql) = begin {
        steps.push(DbStep::sql(&format!("{session}_begin"), sql));
    }
    let read_sql = (purchase.read_sql)(backend);
    let (seen_w, told_r) = (seen.clone(), told.clone());
    steps.push(DbStep::new(
        &format!("{session}_read"),
        read_sql,
        move |db| {
            let now = (purchase.read_stock)(db)?;
            seen_w.set(Some(now.clone()));
            match now {
                Seen::Stock(n) => Ok(format!("stock={n}")),
                // The view has its answer already: what the model says a locked read means.
                Seen::Locked(ref why) => {
                    let answer = purchase.sell_after(db, &now, buyer)?;
                    let text = format!("ERROR: {why} -> {}", answer.describe());
                    told_r.set(Some(answer));
                    Ok(text)
                }
            }
        },
    ));
    let told_w = told.clone();
    steps.push(DbStep::new(
        &format!("{session}_buy"),
        purchase.sell_sql,
        move |db| {
            let Some(now) = seen.get() else {
                return Ok("nothing was read".to_owned());
            };
            let sale = purchase.sell_after(db, &now, buyer)?;
            told_w.set(Some(sale.clone()));
            Ok(sale.describe())
        },
    ));
    if let Some(sql) = begin {
        steps.push(DbStep::sql(&format!("{session}_commit"), "COMMIT"));
        steps.push(DbStep::sql(&format!("{session}_rollback"), "ROLLBACK"));
        let again = format!("the whole view again: {sql}; {read_sql}; ...; COMMIT");
        let told_w = told.clone();
        steps.push(DbStep::new(
            &format!("{session}_retry"),
            &again,
            move |db| {
                let sale = purchase.buy(db, buyer)?;
                told_w.set(Some(sale.clone()));
                Ok(sale.describe())
            },
        ));
    }
    (steps, told)
}

/// The steps one buyer's view takes, in order: what every schedule interleaves.
pub fn view_steps(session: &str, purchase: &Purchase, backend: Backend) -> Vec<String> {
    let mut names = vec![format!("{session}_read"), format!("{session}_buy")];
    if (purchase.begin)(backend).is_some() {
        names.insert(0, format!("{session}_begin"));
        names.push(format!("{session}_commit"));
    }
    names
}

/// The report of a shop story, the verdict from the ledger alone.
fn report(ledger: &Ledger, told: &[(&str, Option<Sale>)], result: Interleaving) -> Report {
    let symptom = if ledger.oversold() {
        format!(
            "{} customers paid for the last desk lamp; the shop had {}",
            ledger.orders, ledger.initial_stock
        )
    } else {
        format!(
            "{} order(s) for {} lamp(s): the second customer was told no",
            ledger.orders, ledger.initial_stock
        )
    };
    let told: serde_json::Map<String, serde_json::Value> = told
        .iter()
        .map(|(buyer, sale)| {
            let text = sale
                .as_ref()
                .map_or_else(|| "no answer".to_owned(), Sale::describe);
            ((*buyer).to_owned(), text.into())
        })
        .collect();
    let waited: Vec<String> = result
        .steps
        .iter()
        .filter(|r| r.waited)
        .map(|r| r.step.clone())
        .collect();
    // lab-kit names the report after the variant that ran it.
    Report::new("", ledger.oversold(), symptom)
        .observe("initial_stock", ledger.initial_stock)
        .observe("final_stock", ledger.final_stock)
        .observe("orders", ledger.orders)
        .observe("lost_updates", ledger.lost_updates())
        .observe("customers_told", told)
        .observe("steps_that_waited", waited)
        .with_transcript(result.transcript)
}
