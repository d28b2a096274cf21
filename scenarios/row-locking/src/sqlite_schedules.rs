//! Beyond the SQLite variants' single permutations: every schedule of two buyers, and
//! what SQLite does with the broken view inside a deferred transaction.

use lab_kit::Transcript;
use lab_kit::interleave::{self, SqliteSession};

use crate::sqlite_runs::{BUYERS, buyers, ledger, shop};
use crate::{INITIAL_STOCK, Ledger, broken, get, set, shared};

/// Every schedule of the two buyers' steps that the harness can run (a step is never
/// issued for a session that is waiting), and those that oversold.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Schedules {
    pub runnable: usize,
    pub oversold: Vec<Vec<String>>,
}

/// Runs `variant` through every interleaving of its two buyers' steps, each on a fresh
/// shop, and lists those that sold more lamps than there were. Exhaustive rather than
/// sampled: two buyers have few enough schedules to try them all.
pub fn every_schedule(variant: &str) -> lab_kit::Result<Schedules> {
    use lab_kit::interleave::SessionDriver as _;
    let probe = shop(INITIAL_STOCK)?;
    let [(a, _), (b, _)] = buyers(variant, &probe)?;
    let (steps1, steps2) = (a.step_names(), b.step_names());
    let mut out = Schedules {
        runnable: 0,
        oversold: Vec::new(),
    };
    for schedule in merges(&steps1, &steps2) {
        let db = shop(INITIAL_STOCK)?;
        let [(mut s1, _), (mut s2, _)] = buyers(variant, &db)?;
        let permutation: Vec<&str> = schedule.iter().map(String::as_str).collect();
        match interleave::run(&mut [&mut s1, &mut s2], &permutation) {
            Ok(_) => out.runnable += 1,
            Err(interleave::HarnessError::SessionBusy { .. }) => continue,
            Err(e) => return Err(e.into()),
        }
        drop((s1, s2));
        if ledger(&db.connect()?, INITIAL_STOCK)?.oversold() {
            out.oversold.push(schedule);
        }
    }
    Ok(out)
}

/// Every interleaving of `a` and `b` that keeps each one's order.
fn merges(a: &[String], b: &[String]) -> Vec<Vec<String>> {
    match (a.split_first(), b.split_first()) {
        (None, _) => vec![b.to_vec()],
        (_, None) => vec![a.to_vec()],
        (Some((x, rest_a)), Some((y, rest_b))) => {
            let mut all = Vec::new();
            for mut tail in merges(rest_a, b) {
                tail.insert(0, x.clone());
                all.push(tail);
            }
            for mut tail in merges(a, rest_b) {
                tail.insert(0, y.clone());
                all.push(tail);
            }
            all
        }
    }
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
