//! The order table: its SQLite schema and a seeded, deterministic generator of rows.

use lab_kit::sqlite::TempDb;
use rusqlite::{Connection, Row};

use super::{Cents, Record};

/// The seed of every table the lab builds.
pub const SEED: u64 = 0x5eed_0a1e;

/// The table Django creates for an `Order` model in the `shop` app (the amount kept in
/// cents here; Django's `DecimalField` reads back the same two-place decimal).
pub const SCHEMA: &str = "
CREATE TABLE shop_order (
    id          INTEGER PRIMARY KEY,
    customer    TEXT NOT NULL,
    note        TEXT,
    total_cents INTEGER NOT NULL,
    paid        INTEGER NOT NULL,
    placed_at   TEXT NOT NULL
);
";

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub customer: String,
    /// `None` when the customer left no note (`null`, not `""`).
    pub note: Option<String>,
    pub total_cents: i64,
    pub paid: bool,
    /// ISO 8601, UTC: `2024-03-05T12:34:56Z`.
    pub placed_at: String,
}

impl Order {
    /// Reads a row of [`super::SELECT_SQL`].
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            customer: row.get(1)?,
            note: row.get(2)?,
            total_cents: row.get(3)?,
            paid: row.get(4)?,
            placed_at: row.get(5)?,
        })
    }

    /// The row as the export writes it.
    pub fn record(&self) -> Record<'_> {
        Record {
            id: self.id,
            customer: &self.customer,
            note: self.note.as_deref(),
            total: Cents(self.total_cents),
            paid: self.paid,
            placed_at: &self.placed_at,
        }
    }
}

impl serde::Serialize for Order {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.record().serialize(serializer)
    }
}

/// Names typed into a checkout form: what JSON must escape (quotes, backslashes, line
/// breaks, tabs, control characters, DEL) and what `ensure_ascii` escapes (accents, CJK,
/// an emoji beyond U+FFFF, U+2028), so every run exercises the encoder.
const CUSTOMERS: [&str; 16] = [
    "Ada Lovelace",
    "Hopper, Grace",
    "Dwayne \"The Rock\" Johnson",
    "C:\\Users\\ada",
    "Zoë Ångström",
    "李雷",
    "Ñandú Pérez",
    "Ferris 🦀",
    "Line one\nline two",
    "Carriage\r\nReturn",
    "Tab\tSeparated",
    "Bell\u{7}Ringer",
    "Del\u{7f}ete",
    "</script><script>alert(1)</script>",
    "Line\u{2028}Separator",
    "Plain Customer",
];

/// Notes at checkout, for the orders that have one: an empty one too (`""` is not
/// `null`), and text that looks like JSON.
const NOTES: [&str; 8] = [
    "leave at the door",
    "gift – wrap it",
    "café au lait ☕",
    "{\"json\": \"inside\"}",
    "back\\slash",
    "null",
    "😀 thanks!",
    "",
];

/// 2024-01-01T00:00:00Z as days since 1970-01-01.
const FIRST_DAY: i64 = 19_723;

/// A deterministic stream of orders: a linear congruential generator (Knuth's MMIX
/// constants) from a fixed seed, so every run builds the same table. Orders are placed
/// 1 to 600 seconds apart from 2024-01-01T00:00:00Z on.
#[derive(Debug, Clone)]
pub struct Generator {
    state: u64,
    next_id: i64,
    second: i64,
}

impl Generator {
    /// Starts the sequence at `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            next_id: 1,
            second: 0,
        }
    }

    fn below(&mut self, n: u32) -> u32 {
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from(self.state >> 32).expect("the high 32 bits fit") % n
    }
}

impl Iterator for Generator {
    type Item = Order;

    fn next(&mut self) -> Option<Order> {
        let id = self.next_id;
        self.next_id += 1;
        let customer = CUSTOMERS[self.below(16) as usize].to_owned();
        let note = match self.below(2) {
            0 => None,
            _ => Some(NOTES[self.below(8) as usize].to_owned()),
        };
        // Totals from -200.00 (refunds) to 1799.99.
        let total_cents = i64::from(self.below(200_000)) - 20_000;
        let paid = self.below(3) != 0;
        self.second += 1 + i64::from(self.below(600));
        Some(Order {
            id,
            customer,
            note,
            total_cents,
            paid,
            placed_at: iso_utc(self.second),
        })
    }
}

/// `second` seconds after 2024-01-01T00:00:00Z, as ISO 8601 (the days turned into a
/// date by Howard Hinnant's `civil_from_days`).
fn iso_utc(second: i64) -> String {
    let days = FIRST_DAY + second / 86_400 + 719_468;
    let era = days / 146_097;
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    let rest = second % 86_400;
    format!(
        "{year}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Creates the schema and inserts `orders` in one transaction with one prepared
/// statement.
pub fn load(conn: &Connection, orders: impl IntoIterator<Item = Order>) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO shop_order (id, customer, note, total_cents, paid, placed_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        )?;
        for o in orders {
            insert.execute((
                o.id,
                &o.customer,
                &o.note,
                o.total_cents,
                o.paid,
                &o.placed_at,
            ))?;
        }
    }
    tx.commit()
}

/// A database file holding `rows` generated orders.
pub fn build(rows: u64, seed: u64) -> lab_kit::Result<TempDb> {
    let count =
        usize::try_from(rows).map_err(|_| lab_kit::Error::Invalid("too many rows".into()))?;
    database(Generator::new(seed).take(count))
}

/// A database file holding `orders`.
pub fn database(orders: impl IntoIterator<Item = Order>) -> lab_kit::Result<TempDb> {
    let db = TempDb::new()?;
    let conn = db.connect()?;
    // A throwaway table: no fsync on commit (the journal stays, so read locks still work as
    // in production).
    conn.pragma_update(None, "synchronous", "OFF")?;
    load(&conn, orders)?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_count_from_2024_across_leap_days_and_years() {
        assert_eq!(iso_utc(0), "2024-01-01T00:00:00Z");
        assert_eq!(iso_utc(59 * 86_400 + 3_661), "2024-02-29T01:01:01Z");
        assert_eq!(iso_utc(366 * 86_400 - 1), "2024-12-31T23:59:59Z");
        assert_eq!(iso_utc(366 * 86_400), "2025-01-01T00:00:00Z");
    }

    #[test]
    fn the_generator_is_deterministic_and_places_orders_in_time_order() {
        let a: Vec<Order> = Generator::new(SEED).take(50).collect();
        let b: Vec<Order> = Generator::new(SEED).take(50).collect();
        assert_eq!(a, b);
        assert!(a.windows(2).all(|w| w[0].placed_at < w[1].placed_at));
        assert!(a.iter().any(|o| o.note.is_none()));
        assert!(a.iter().any(|o| o.note.is_some()));
    }
}
