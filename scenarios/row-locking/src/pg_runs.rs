//! The PostgreSQL variants: a schema of their own on the server named by
//! `LAB_POSTGRES_URL`, one connection per buyer, one explicit permutation each; a step
//! that meets a row lock is reported waiting by the harness's monitor connection.

use lab_kit::interleave::{self, Monitor, PgSession, SessionDriver as _};
use lab_kit::postgres::{TempSchema, describe_error};
use postgres::Client;

use crate::fixed::{conditional, locking};
use crate::{INITIAL_STOCK, Ledger, Sale, Shared, broken, get, set, shared, sqlite_runs::BUYERS};

/// Runs `variant` against the configured server (lab-kit checked `Need::Postgres`
/// before the variant ran, so the URL is set).
pub fn with_server(
    variant: fn(&str) -> lab_kit::Result<lab_kit::Report>,
) -> lab_kit::Result<lab_kit::Report> {
    let url = lab_kit::postgres::url().ok_or_else(|| {
        lab_kit::Error::Invalid(format!("{} is not set", lab_kit::POSTGRES_URL_VAR))
    })?;
    variant(&url)
}

/// A fresh schema with the shop's tables and `stock` lamps, and the harness's monitor.
pub struct PgShop {
    pub schema: TempSchema,
    monitor: Monitor,
}

impl std::fmt::Debug for PgShop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgShop")
            .field("schema", &self.schema)
            .finish_non_exhaustive()
    }
}

impl PgShop {
    /// The tables, the seed, and `extra` SQL (the job queue).
    pub fn new(url: &str, stock: i64, extra: &str) -> lab_kit::Result<Self> {
        let schema = TempSchema::new(url)?;
        schema.connect()?.batch_execute(&format!(
            "{}{}{extra}",
            crate::PG_SCHEMA,
            crate::seed_sql(stock)
        ))?;
        let monitor = Monitor::new(schema.connect()?);
        Ok(Self { schema, monitor })
    }

    /// A session with `BEGIN` and `COMMIT` steps (`<name>_begin`, `<name>_commit`).
    pub fn session(&self, name: &str) -> lab_kit::Result<PgSession> {
        Ok(PgSession::new(name, self.schema.connect()?, &self.monitor)?
            .sql(&format!("{name}_begin"), "BEGIN")
            .sql(&format!("{name}_commit"), "COMMIT"))
    }

    /// The stock and order count now in the database.
    pub fn ledger(&self, initial_stock: i64) -> lab_kit::Result<Ledger> {
        let mut client = self.schema.connect()?;
        Ok(Ledger {
            initial_stock,
            final_stock: client
                .query_one("SELECT stock FROM shop_item WHERE id = 1", &[])?
                .get(0),
            orders: client
                .query_one("SELECT count(*) FROM shop_order", &[])?
                .get(0),
        })
    }
}

type Read = fn(&mut Client) -> Result<i64, postgres::Error>;
type Sell = fn(&mut Client, i64, &str) -> Result<Sale, postgres::Error>;

/// Adds a read step (`<s>_read`, shown as `read_sql`) and a sell step (`<s>_buy`) to
/// `session`; a read refused with `lock_not_available` (NOWAIT) tells the customer to try
/// again.
fn read_then_sell(
    session: PgSession,
    buyer: &'static str,
    (read_sql, read): (&str, Read),
    (sell_shown, sell): (&str, Sell),
) -> (PgSession, Shared<Option<Sale>>) {
    let name = session.name().to_owned();
    let seen = shared(0_i64);
    let sale = shared(None);
    let (seen_w, sale_r, sale_w) = (seen.clone(), sale.clone(), sale.clone());
    let session = session
        .step(&format!("{name}_read"), read_sql, move |c| match read(c) {
            Ok(n) => {
                set(&seen, n);
                Ok(format!("stock={n}"))
            }
            Err(e) if locking::is_lock_not_available(&e) => {
                set(&sale_r, Some(Sale::TryAgain));
                Ok(format!(
                    "ERROR: {} -> {}",
                    describe_error(&e),
                    Sale::TryAgain.describe()
                ))
            }
            Err(e) => Err(e),
        })
        .step(&format!("{name}_buy"), sell_shown, move |c| {
            let result = sell(c, get(&seen_w), buyer)?;
            let text = result.describe();
            set(&sale_w, Some(result));
            Ok(text)
        });
    (session, sale)
}

/// Two buyers, each with begin / read / buy / commit steps, run through `permutation`.
fn two_buyers(
    name: &str,
    url: &str,
    read: (&str, Read),
    sell: (fn(&str) -> String, Sell),
    permutation: &[&str],
) -> lab_kit::Result<lab_kit::Report> {
    let shop = PgShop::new(url, INITIAL_STOCK, "")?;
    let [(n1, b1), (n2, b2)] = BUYERS;
    let (mut s1, sale1) = read_then_sell(shop.session(n1)?, b1, read, (&sell.0(b1), sell.1));
    let (mut s2, sale2) = read_then_sell(shop.session(n2)?, b2, read, (&sell.0(b2), sell.1));
    let result = interleave::run(&mut [&mut s1, &mut s2], permutation)?;
    drop((s1, s2));
    let ledger = shop.ledger(INITIAL_STOCK)?;
    let told = [(b1, get(&sale1)), (b2, get(&sale2))];
    Ok(ledger.report(name, &told, result.transcript))
}

/// Inside `transaction.atomic()`, both read 1; the second UPDATE waits for the first
/// buyer's row lock, then writes 0 again: two orders for one lamp.
pub fn broken(url: &str) -> lab_kit::Result<lab_kit::Report> {
    two_buyers(
        "broken_postgres",
        url,
        (broken::READ_SQL, broken::read_stock_pg::<Client>),
        (broken::shown_sell, |c, seen, buyer| {
            broken::sell_pg(c, seen, buyer)
        }),
        &[
            "s1_begin",
            "s1_read",
            "s2_begin",
            "s2_read",
            "s1_buy",
            "s2_buy",
            "s1_commit",
            "s2_commit",
        ],
    )
}

/// `select_for_update()`: the second buyer's read waits, then sees 0 and is refused.
pub fn fixed_for_update(url: &str) -> lab_kit::Result<lab_kit::Report> {
    two_buyers(
        "fixed_for_update",
        url,
        (locking::FOR_UPDATE_SQL, locking::read_for_update::<Client>),
        (broken::shown_sell, |c, seen, buyer| {
            broken::sell_pg(c, seen, buyer)
        }),
        &[
            "s1_begin",
            "s1_read",
            "s2_begin",
            "s2_read",
            "s1_buy",
            "s1_commit",
            "s2_buy",
            "s2_commit",
        ],
    )
}

/// The conditional UPDATE inside transactions: the second UPDATE waits for the row, then
/// re-checks `stock >= 1` and updates nothing.
pub fn fixed_conditional_update(url: &str) -> lab_kit::Result<lab_kit::Report> {
    two_buyers(
        "fixed_conditional_update_postgres",
        url,
        (broken::READ_SQL, broken::read_stock_pg::<Client>),
        (conditional::shown_sell, |c, _seen, buyer| {
            conditional::sell_pg(c, buyer)
        }),
        &[
            "s1_begin",
            "s1_read",
            "s2_begin",
            "s2_read",
            "s1_buy",
            "s2_buy",
            "s1_commit",
            "s2_commit",
        ],
    )
}

/// `select_for_update(nowait=True)`: the second buyer gets the lock error at once and is
/// told to try again; trying again after the first commit, they are told it is sold out.
pub fn fixed_nowait(url: &str) -> lab_kit::Result<lab_kit::Report> {
    let shop = PgShop::new(url, INITIAL_STOCK, "")?;
    let [(n1, b1), (n2, b2)] = BUYERS;
    let read = (locking::NOWAIT_SQL, locking::read_nowait::<Client> as Read);
    let sell: Sell = |c, seen, buyer| broken::sell_pg(c, seen, buyer);
    let (mut s1, sale1) =
        read_then_sell(shop.session(n1)?, b1, read, (&broken::shown_sell(b1), sell));
    let (s2, sale2) = read_then_sell(shop.session(n2)?, b2, read, (&broken::shown_sell(b2), sell));
    let retry = sale2.clone();
    let mut s2 = s2.sql("s2_rollback", "ROLLBACK").step(
        "s2_retry",
        "the whole purchase again: BEGIN; SELECT ... FOR UPDATE NOWAIT; ...; COMMIT",
        move |c| {
            let sale = locking::buy_nowait(c, b2)?;
            let text = sale.describe();
            set(&retry, Some(sale));
            Ok(text)
        },
    );
    let permutation = [
        "s1_begin",
        "s1_read",
        "s2_begin",
        "s2_read",
        "s2_rollback",
        "s1_buy",
        "s1_commit",
        "s2_retry",
    ];
    let result = interleave::run(&mut [&mut s1, &mut s2], &permutation)?;
    drop((s1, s2));
    let ledger = shop.ledger(INITIAL_STOCK)?;
    let told = [(b1, get(&sale1)), (b2, get(&sale2))];
    Ok(ledger.report("fixed_nowait", &told, result.transcript))
}
