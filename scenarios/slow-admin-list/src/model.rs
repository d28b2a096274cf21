//! What every variant shares: the `Order` model and its table, the seeded orders and the
//! truth about them, the change list's request and page, the budget a page is judged
//! by, and the one variant type.

mod orders;
mod request;

use std::fmt;

use rusqlite::{Connection, Row};
use serde::Serialize;

pub use orders::{Expected, MAX_ORDERS, Orders, matches};
pub use request::PageRequest;

/// One variant: the migration that ships with the admin (run once, after the orders are
/// loaded) and the change list page. `broken.rs` and the fix expose both, as
/// `migrate` and `change_list`, and so must a candidate's answer to the homework.
#[derive(Debug, Clone, Copy)]
pub struct Admin {
    pub migrate: fn(&Connection) -> rusqlite::Result<()>,
    pub change_list: fn(&Connection, &PageRequest) -> rusqlite::Result<Page>,
}

/// `ModelAdmin.list_per_page`: the orders one page shows (Django's default).
pub const PER_PAGE: usize = 100;

/// The largest number of matching orders a page must state exactly. Past it, "more
/// than 1000 orders" is as honest as the exact figure, and as useful to a reader.
pub const COUNT_LIMIT: u64 = 1_000;

/// The most rows one page may make SQLite scan: its orders plus one (to know whether a
/// next page exists), and the count up to its limit plus one (to know it is past it).
/// Anything beyond that is work the page does not show.
pub const ROW_BUDGET: u64 = PER_PAGE as u64 + 1 + COUNT_LIMIT + 1;

/// The orders the lab's story runs on: enough for 50 pages.
pub const STORY_ORDERS: usize = 5_000;

/// The seed of the story's orders.
pub const STORY_SEED: u64 = 1;

/// What the story types into the search box: a surname, in the case a person types it.
pub const STORY_SEARCH: &str = "Hopper";

/// The table Django 5.2 creates on SQLite for
/// `Order(reference=CharField(max_length=20, unique=True),
/// customer=CharField(max_length=100), total_cents=IntegerField(),
/// created_at=DateTimeField())`: the unique reference gets an index of its own, and
/// nothing else does.
pub const SCHEMA: &str = "CREATE TABLE app_order (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    reference varchar(20) NOT NULL UNIQUE,
    customer varchar(100) NOT NULL,
    total_cents integer NOT NULL,
    created_at datetime NOT NULL
);";

/// The columns of an `Order`, as Django selects them for the change list.
pub const COLUMNS: &str = "app_order.id, app_order.reference, app_order.customer, \
     app_order.total_cents, app_order.created_at";

/// One order, as a row of `app_order`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Order {
    pub id: i64,
    pub reference: String,
    pub customer: String,
    pub total_cents: i64,
    /// `YYYY-MM-DD HH:MM:SS`, as Django stores a naive datetime on SQLite: text that
    /// sorts in time order.
    pub created_at: String,
}

impl Order {
    /// An order from a row selected with [`COLUMNS`].
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            reference: row.get(1)?,
            customer: row.get(2)?,
            total_cents: row.get(3)?,
            created_at: row.get(4)?,
        })
    }
}

/// One change list page: the orders it shows, how many orders match, and the link to
/// the next page (none on the last one).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub orders: Vec<Order>,
    /// How many orders match the search (all of them without one).
    pub count: Count,
    /// How many orders the table holds, which Django shows beside a search's count as
    /// "(5000 total)" (`ModelAdmin.show_full_result_count`); `None` shows nothing.
    pub total: Option<Count>,
    pub next: Option<PageRequest>,
}

/// A number of orders as a page states it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// Exactly this many.
    Exact(u64),
    /// More than this many.
    MoreThan(u64),
}

impl Count {
    /// Whether this is a true statement about `truth` orders.
    pub fn is_true_of(self, truth: u64) -> bool {
        match self {
            Self::Exact(n) => n == truth,
            Self::MoreThan(n) => truth > n,
        }
    }

    /// Reads back what [`Count`]'s `Display` wrote (`5000 orders`, `1 order`, `more than
    /// 1000 orders`).
    pub fn parse(text: &str) -> Option<Self> {
        let number = text.trim_end_matches(" orders").trim_end_matches(" order");
        match number.strip_prefix("more than ") {
            Some(n) => n.parse().ok().map(Self::MoreThan),
            None => number.parse().ok().map(Self::Exact),
        }
    }
}

impl fmt::Display for Count {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Exact(1) => write!(f, "1 order"),
            Self::Exact(n) => write!(f, "{n} orders"),
            Self::MoreThan(n) => write!(f, "more than {n} orders"),
        }
    }
}
