//! The customer table: its SQLite schema and a seeded, deterministic generator of rows.

use lab_kit::sqlite::TempDb;
use rusqlite::{Connection, Row};

use super::Record;

/// The seed of every table the lab builds.
pub const SEED: u64 = 0x5eed_c5e5;

/// The table Django creates for a `Customer` model in the `shop` app.
pub const SCHEMA: &str = "
CREATE TABLE shop_customer (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    email        TEXT NOT NULL,
    amount_cents INTEGER NOT NULL,
    created_at   TEXT NOT NULL
);
";

/// One row of the table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Customer {
    pub id: i64,
    pub name: String,
    pub email: String,
    pub amount_cents: i64,
    /// ISO 8601, UTC: `2024-03-05T12:34:56Z`.
    pub created_at: String,
}

impl Customer {
    /// Reads a row of [`super::SELECT_SQL`].
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: row.get(1)?,
            email: row.get(2)?,
            amount_cents: row.get(3)?,
            created_at: row.get(4)?,
        })
    }

    /// The row as the export writes it.
    pub fn record(&self) -> Record<'_> {
        Record {
            id: self.id,
            name: &self.name,
            email: &self.email,
            amount_cents: self.amount_cents,
            created_at: &self.created_at,
        }
    }
}

/// Names people type into a sign-up form: commas, double quotes, line breaks, tabs and
/// non-ASCII text, so the export's quoting is exercised on every run.
const NAMES: [&str; 16] = [
    "Ada Lovelace",
    "Hopper, Grace",
    "Dwayne \"The Rock\" Johnson",
    "Line one\nline two",
    "Zoë Ångström",
    "李雷",
    "Ñandú Pérez",
    "Ferris 🦀",
    "Smith & Sons, Ltd.",
    "Carriage\r\nReturn",
    "Tab\tSeparated",
    "\"Quoted\"",
    "Grace Hopper",
    "Plain Customer",
    "O'Brien; Seán",
    "Mary-Jane Watson",
];

/// A deterministic stream of customers: a linear congruential generator (Knuth's MMIX
/// constants) from a fixed seed, so every run builds the same table.
#[derive(Debug, Clone)]
pub struct Generator {
    state: u64,
    next_id: i64,
}

impl Generator {
    /// Starts the sequence at `seed`.
    pub fn new(seed: u64) -> Self {
        Self {
            state: seed,
            next_id: 1,
        }
    }

    fn next_u32(&mut self) -> u32 {
        self.state = self
            .state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        u32::try_from(self.state >> 32).expect("the high 32 bits fit")
    }

    fn below(&mut self, n: u32) -> u32 {
        self.next_u32() % n
    }
}

impl Iterator for Generator {
    type Item = Customer;

    fn next(&mut self) -> Option<Customer> {
        let id = self.next_id;
        self.next_id += 1;
        let name = NAMES[self.below(16) as usize].to_owned();
        let email = match self.below(20) {
            0 => format!("\"quoted\"{id}@example.org"),
            1 => format!("zoë.{id}@exämple.de"),
            2 => format!("first.last+{id}@example.co.uk"),
            _ => format!("customer{id}@example.com"),
        };
        // Amounts from -200.00 (refunds) to 1799.99.
        let amount_cents = i64::from(self.below(200_000)) - 20_000;
        // A second within 2024 (a leap year of 366 days).
        let second = self.below(366 * 86_400);
        let created_at = iso_2024(second);
        Some(Customer {
            id,
            name,
            email,
            amount_cents,
            created_at,
        })
    }
}

/// `second` seconds after 2024-01-01T00:00:00Z, as ISO 8601.
fn iso_2024(second: u32) -> String {
    const DAYS: [u32; 12] = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    let mut day = second / 86_400;
    let mut month = 0;
    while day >= DAYS[month] {
        day -= DAYS[month];
        month += 1;
    }
    let rest = second % 86_400;
    format!(
        "2024-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        month + 1,
        day + 1,
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}

/// Creates the schema and inserts `customers` in one transaction with one prepared
/// statement.
pub fn load(
    conn: &Connection,
    customers: impl IntoIterator<Item = Customer>,
) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    let tx = conn.unchecked_transaction()?;
    {
        let mut insert = tx.prepare(
            "INSERT INTO shop_customer (id, name, email, amount_cents, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in customers {
            insert.execute((c.id, &c.name, &c.email, c.amount_cents, &c.created_at))?;
        }
    }
    tx.commit()
}

/// A database file holding `rows` generated customers.
pub fn build(rows: u64, seed: u64) -> lab_kit::Result<TempDb> {
    let count =
        usize::try_from(rows).map_err(|_| lab_kit::Error::Invalid("too many rows".into()))?;
    database(Generator::new(seed).take(count))
}

/// A database file holding `customers`.
pub fn database(customers: impl IntoIterator<Item = Customer>) -> lab_kit::Result<TempDb> {
    let db = TempDb::new()?;
    let conn = db.connect()?;
    // A throwaway table: no fsync on commit (the journal stays, so read locks still work as
    // in production).
    conn.pragma_update(None, "synchronous", "OFF")?;
    load(&conn, customers)?;
    Ok(db)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_stay_in_2024() {
        assert_eq!(iso_2024(0), "2024-01-01T00:00:00Z");
        assert_eq!(iso_2024(59 * 86_400), "2024-02-29T00:00:00Z");
        assert_eq!(iso_2024(366 * 86_400 - 1), "2024-12-31T23:59:59Z");
    }

    #[test]
    fn the_generator_is_deterministic() {
        let a: Vec<Customer> = Generator::new(SEED).take(50).collect();
        let b: Vec<Customer> = Generator::new(SEED).take(50).collect();
        assert_eq!(a, b);
        assert!(a.iter().any(|c| c.name.contains(',')));
    }
}
