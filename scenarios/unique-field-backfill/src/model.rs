//! What every variant shares: the orders table and its seed, the old version of the app
//! that keeps writing, the seeded `uuid.uuid4()`, one backfill batch, the end state judged
//! against the truth, and the ONE variant type (`Migration`, its three steps).

use std::cell::RefCell;
use std::rc::Rc;

use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rusqlite::Connection;
use serde::Serialize;

/// The migration that adds `Order.uuid`, as the deploy runs it: `broken.rs` and every fix
/// export one, `MIGRATION`. Each step is its own transaction; the old app writes between
/// any two of them.
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// Migration 0002: the new column.
    pub add_column: Step,
    /// One batch of the data migration (0003): rows without a value get one. Run twice.
    pub backfill: Step,
    /// Migration 0004: the column becomes unique.
    pub make_unique: Step,
}

/// One migration step on the migrating connection; `Ok` is what it did, in words.
pub type Step = fn(&Connection, &Uuids) -> rusqlite::Result<String>;

/// The table Django creates for `Order(customer)`, before the field exists.
pub const SCHEMA: &str = "CREATE TABLE shop_order (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
                          customer varchar(50) NOT NULL);";

/// The customers of the orders already in the table when the deploy starts.
pub const CUSTOMERS: [&str; 5] = ["ada", "bob", "cyd", "dee", "eve"];

/// How many rows one backfill batch updates.
pub const BATCH: usize = 2;

/// The seed of the UUID generator: every run writes the same UUIDs.
pub const SEED: u64 = 2026;

/// Creates the table with the first `rows` orders of [`CUSTOMERS`].
pub fn seed(conn: &Connection, rows: usize) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    for customer in CUSTOMERS.iter().cycle().take(rows) {
        conn.execute("INSERT INTO shop_order (customer) VALUES (?1)", [customer])?;
    }
    Ok(())
}

/// What the old version of the app sends for a new order: it knows nothing of `uuid`, so
/// the INSERT does not name the column.
pub const OLD_INSERT: &str = "INSERT INTO shop_order (customer) VALUES (?1)";

/// `uuid.uuid4()`, with the random bytes from a seeded generator: real version-4 UUIDs
/// (`Builder::from_random_bytes` sets the version and variant bits), the same on every run.
/// Stored as Django's `UUIDField` stores them on SQLite: 32 hex digits, `char(32)`.
#[derive(Debug, Clone)]
pub struct Uuids(Rc<RefCell<StdRng>>);

impl Uuids {
    pub fn seeded(seed: u64) -> Self {
        Self(Rc::new(RefCell::new(StdRng::seed_from_u64(seed))))
    }

    /// The next UUID, as the column stores it.
    pub fn next(&self) -> String {
        let mut bytes = [0_u8; 16];
        self.0.borrow_mut().fill_bytes(&mut bytes);
        let uuid = uuid::Builder::from_random_bytes(bytes).into_uuid();
        uuid.simple().to_string()
    }
}

/// One batch of the data migration: up to [`BATCH`] rows that have no value yet, each
/// given a UUID of its own, in one transaction.
/// `for o in Order.objects.filter(uuid__isnull=True)[:2]: o.uuid = uuid4(); o.save()`.
pub fn backfill_batch(conn: &Connection, uuids: &Uuids) -> rusqlite::Result<usize> {
    let tx = conn.unchecked_transaction()?;
    let ids: Vec<i64> = {
        let mut stmt =
            tx.prepare("SELECT id FROM shop_order WHERE uuid IS NULL ORDER BY id LIMIT ?1")?;
        let rows = stmt.query_map([BATCH as i64], |r| r.get(0))?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    for id in &ids {
        tx.execute(
            "UPDATE shop_order SET uuid = ?1 WHERE id = ?2",
            (uuids.next(), id),
        )?;
    }
    tx.commit()?;
    Ok(ids.len())
}

/// The table when the deploy is over, and what the truth demands of it: every row has a
/// value, no two share one, each is a version-4 UUID, and the database enforces it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EndState {
    pub rows: usize,
    pub null_values: usize,
    pub distinct_values: usize,
    /// Values that are not a version-4 UUID in Django's 32-digit form.
    pub not_v4: usize,
    /// Whether a unique index on `uuid` exists.
    pub unique_index: bool,
}

impl EndState {
    /// Reads the table as it is now.
    pub fn read(conn: &Connection) -> rusqlite::Result<Self> {
        let has_column: bool = conn.query_row(
            "SELECT count(*) FROM pragma_table_info('shop_order') WHERE name = 'uuid'",
            [],
            |r| r.get(0),
        )?;
        let values: Vec<Option<String>> = if has_column {
            let mut stmt = conn.prepare("SELECT uuid FROM shop_order ORDER BY id")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            rows.collect::<rusqlite::Result<_>>()?
        } else {
            let n: i64 = conn.query_row("SELECT count(*) FROM shop_order", [], |r| r.get(0))?;
            vec![None; usize::try_from(n).unwrap_or(0)]
        };
        let present: Vec<&String> = values.iter().flatten().collect();
        let mut distinct = present.clone();
        distinct.sort();
        distinct.dedup();
        let unique_index = conn.query_row(
            "SELECT count(*) FROM pragma_index_list('shop_order') AS il \
             JOIN pragma_index_info(il.name) AS ii WHERE il.\"unique\" = 1 AND ii.name = 'uuid'",
            [],
            |r| r.get::<_, i64>(0),
        )? > 0;
        Ok(Self {
            rows: values.len(),
            null_values: values.len() - present.len(),
            distinct_values: distinct.len(),
            not_v4: present.iter().filter(|v| !is_v4(v)).count(),
            unique_index,
        })
    }

    /// What is wrong with this end state, in words; empty when it is what the truth asks.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.null_values > 0 {
            out.push(format!("{} row(s) without a value", self.null_values));
        }
        let present = self.rows - self.null_values;
        if self.distinct_values < present {
            out.push(format!(
                "{present} value(s) but only {} distinct",
                self.distinct_values
            ));
        }
        if self.not_v4 > 0 {
            out.push(format!("{} value(s) not a version-4 UUID", self.not_v4));
        }
        if !self.unique_index {
            out.push("no unique index on uuid".to_owned());
        }
        out
    }
}

/// Whether `value` is a version-4 (random) UUID with the RFC 4122 variant, in 32 digits.
pub fn is_v4(value: &str) -> bool {
    value.len() == 32
        && uuid::Uuid::try_parse(value).is_ok_and(|u| {
            u.get_version() == Some(uuid::Version::Random)
                && u.get_variant() == uuid::Variant::RFC4122
        })
}
