//! What every variant shares: the view's signature, the query, one order as the export
//! writes it, and the JSON format (what `JsonResponse` writes: Python's `json.dumps`
//! defaults with Django's encoder).

pub mod dumps;
pub mod seed;
pub mod truth;

use std::fmt;
use std::io::{self, Write};

use axum::http::header::{CONTENT_TYPE, HeaderName};
use axum::response::Response;
use rusqlite::Row;
use serde::{Serialize, Serializer};

pub use dumps::JsonDumps;
pub use lab_kit::stream::{Export, Progress, ReaderEnd};
pub use seed::{Generator, Order, SEED};

/// One way of answering `GET /export.json`: the body of the view. It runs on a blocking
/// thread (a sync Django view on its worker) and returns the response to send; every
/// variant and every candidate fix has this signature. [`Export`] is the request: the
/// database file and the counters the lab reads (`lab_kit::stream`).
pub type ExportFn = fn(Export) -> lab_kit::Result<Response>;

/// The export's route.
pub const PATH: &str = "/export.json";

/// What `Order.objects.order_by("id").values()` asks SQLite.
pub const SELECT_SQL: &str =
    "SELECT id, customer, note, total_cents, paid, placed_at FROM shop_order ORDER BY id";

/// The `Content-Type` `JsonResponse` sets.
pub const JSON_HEADERS: [(HeaderName, &str); 1] = [(CONTENT_TYPE, "application/json")];

/// Writes `value` as `json.dumps(value, cls=DjangoJSONEncoder)` does: `", "` between
/// items, `": "` after keys, every non-ASCII character escaped (see [`JsonDumps`]).
pub fn json_dump<T: Serialize + ?Sized, W: Write>(value: &T, out: W) -> io::Result<()> {
    let mut serializer = serde_json::Serializer::with_formatter(out, JsonDumps);
    value.serialize(&mut serializer).map_err(io::Error::from)
}

/// One order as the export writes it, borrowed: from an [`Order`] in memory or straight
/// from a cursor's current row, without a copy. The fields in the model's order, which is
/// the order of `.values()`' keys.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Record<'a> {
    pub id: i64,
    pub customer: &'a str,
    pub note: Option<&'a str>,
    pub total: Cents,
    pub paid: bool,
    pub placed_at: &'a str,
}

impl<'a> Record<'a> {
    /// The current row of [`SELECT_SQL`], its text borrowed from SQLite's buffers.
    pub fn from_row(row: &'a Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            customer: row.get_ref(1)?.as_str()?,
            note: row.get_ref(2)?.as_str_or_null()?,
            total: Cents(row.get(3)?),
            paid: row.get(4)?,
            placed_at: row.get_ref(5)?.as_str()?,
        })
    }
}

/// An amount in cents, written as Django's encoder writes a `Decimal` with two places: a
/// JSON string, `"1234.50"`, `"-12.05"` (exact, never through a float).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cents(pub i64);

impl fmt::Display for Cents {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Serialize for Cents {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // Formatted straight into the output, escaped like any string: no allocation.
        serializer.collect_str(self)
    }
}
