//! What every variant shares: the shop's rows as the app reads them, the operations a
//! customer can do, the injected clock, and the one variant type - a `Shop`, the app's
//! writes and read paths as plain functions over a connection.

use rusqlite::{Connection, Params, Row};
use serde::Serialize;

/// The app's code paths over `shop_customer` and `shop_order`: `broken.rs` and the fix
/// each expose one, `SHOP`, built from their own functions.
#[derive(Debug, Clone, Copy)]
pub struct Shop {
    /// The tables and indexes, as Django's schema editor writes them for the module's models.
    pub schema: &'static str,
    /// Signs a customer up with an email address; the new customer's id.
    pub sign_up: fn(&Connection, &str) -> rusqlite::Result<i64>,
    /// A live customer orders an item; the new order's id.
    pub place_order: fn(&Connection, i64, &str) -> rusqlite::Result<i64>,
    /// Soft-deletes (cancels) a live order at the given time.
    pub delete_order: fn(&Connection, i64, &str) -> rusqlite::Result<()>,
    /// Soft-deletes (closes) a live customer's account at the given time.
    pub delete_customer: fn(&Connection, i64, &str) -> rusqlite::Result<()>,
    /// Brings a deleted customer back.
    pub undelete_customer: fn(&Connection, i64) -> rusqlite::Result<()>,
    /// The customer list page.
    pub customers: fn(&Connection) -> rusqlite::Result<Vec<Customer>>,
    /// The order list page, each order with its customer.
    pub orders: fn(&Connection) -> rusqlite::Result<Vec<OrderLine>>,
    /// The dashboard: each customer with their number of orders.
    pub order_counts: fn(&Connection) -> rusqlite::Result<Vec<OrderCount>>,
    /// An order's page: who ordered it (`None` if there is no such order to show).
    pub customer_of: fn(&Connection, i64) -> rusqlite::Result<Option<Customer>>,
    /// A customer's page: their orders (empty if there is no such customer to show).
    pub orders_of: fn(&Connection, i64) -> rusqlite::Result<Vec<OrderLine>>,
}

/// A customer as a page shows one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Customer {
    pub id: i64,
    pub email: String,
}

/// An order with its customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderLine {
    pub id: i64,
    pub item: String,
    pub customer: Customer,
}

/// A customer and how many orders the dashboard counts for them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OrderCount {
    pub customer: Customer,
    pub orders: i64,
}

/// One thing a customer does through the app. Ids are the ones the app handed out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum Op {
    SignUp { email: String },
    PlaceOrder { customer: i64, item: String },
    DeleteOrder { order: i64 },
    DeleteCustomer { customer: i64 },
    UndeleteCustomer { customer: i64 },
}

impl Op {
    /// The operation in a few words, for transcripts and counterexamples.
    pub fn describe(&self) -> String {
        match self {
            Op::SignUp { email } => format!("sign up {email}"),
            Op::PlaceOrder { customer, item } => format!("customer #{customer} orders a {item}"),
            Op::DeleteOrder { order } => format!("delete order #{order}"),
            Op::DeleteCustomer { customer } => format!("delete customer #{customer}"),
            Op::UndeleteCustomer { customer } => format!("undelete customer #{customer}"),
        }
    }
}

/// The injected clock: the time of the `step`-th operation (1-based), one second apart
/// from 2026-01-01 12:00:00, in the text form Django stores a naive `DateTimeField` in.
pub fn at(step: usize) -> String {
    let seconds = u32::try_from(step).expect("a short story");
    format!(
        "2026-01-01 {:02}:{:02}:{:02}",
        12 + seconds / 3600,
        seconds / 60 % 60,
        seconds % 60
    )
}

impl std::fmt::Display for Customer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{} {}", self.id, self.email)
    }
}

impl std::fmt::Display for OrderLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{} {} by {}", self.id, self.item, self.customer)
    }
}

impl std::fmt::Display for OrderCount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.customer, self.orders)
    }
}

/// Runs `sql` and reads each row with `read`: what every read path does with its SQL.
pub use lab_kit::sqlite::query;

/// A customer from columns `first` (id) and `first + 1` (email).
pub fn customer_at(row: &Row<'_>, first: usize) -> rusqlite::Result<Customer> {
    Ok(Customer {
        id: row.get(first)?,
        email: row.get(first + 1)?,
    })
}

/// An order line from columns id, item, customer id, customer email.
pub fn order_line(row: &Row<'_>) -> rusqlite::Result<OrderLine> {
    Ok(OrderLine {
        id: row.get(0)?,
        item: row.get(1)?,
        customer: customer_at(row, 2)?,
    })
}

/// An INSERT's new row id.
pub fn insert(conn: &Connection, sql: &str, params: impl Params) -> rusqlite::Result<i64> {
    conn.execute(sql, params)?;
    Ok(conn.last_insert_rowid())
}

/// The story every variant runs: Ada and Bob sign up and order; Bob deletes one of his
/// orders; Ada deletes her account and signs up again with the same address; Bob deletes
/// his account and comes back.
pub fn story() -> Vec<Op> {
    let (ada, bob) = ("ada@example.com", "bob@example.com");
    let order = |customer, item: &str| Op::PlaceOrder {
        customer,
        item: item.to_owned(),
    };
    vec![
        Op::SignUp {
            email: ada.to_owned(),
        },
        Op::SignUp {
            email: bob.to_owned(),
        },
        order(1, "lamp"),
        order(2, "chair"),
        order(2, "desk"),
        Op::DeleteOrder { order: 3 },
        Op::DeleteCustomer { customer: 1 },
        Op::SignUp {
            email: ada.to_owned(),
        },
        Op::DeleteCustomer { customer: 2 },
        Op::UndeleteCustomer { customer: 2 },
    ]
}
