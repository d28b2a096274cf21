//! A shop in a fresh SQLite database beside the truth: operations applied to both, and
//! every read path of the app read back through real SQL next to what the truth shows.

use rusqlite::Connection;
use serde::Serialize;

use crate::model::{Op, Shop, at};
use crate::truth::{Answer, Truth};

/// What each read path showed, one line per row, for every id handed out so far.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reads {
    pub customers: Vec<String>,
    pub orders: Vec<String>,
    pub order_counts: Vec<String>,
    pub customer_of: Vec<String>,
    pub orders_of: Vec<String>,
}

impl Reads {
    /// The read paths whose lines differ from `truth`, by name.
    pub fn differing(&self, truth: &Reads) -> Vec<&'static str> {
        self.paths(truth, |got, want| got != want)
    }

    /// The read paths that show a line the truth does not: a deleted row, or a live row
    /// with a wrong count or owner.
    pub fn leaking(&self, truth: &Reads) -> Vec<&'static str> {
        self.paths(truth, |got, want| {
            got.iter().any(|line| !want.contains(line))
        })
    }

    fn paths(
        &self,
        truth: &Reads,
        differ: impl Fn(&[String], &[String]) -> bool,
    ) -> Vec<&'static str> {
        let pairs = [
            ("customers", &self.customers, &truth.customers),
            ("orders", &self.orders, &truth.orders),
            ("order_counts", &self.order_counts, &truth.order_counts),
            ("customer_of", &self.customer_of, &truth.customer_of),
            ("orders_of", &self.orders_of, &truth.orders_of),
        ];
        pairs
            .into_iter()
            .filter(|(_, got, want)| differ(got, want))
            .map(|(name, ..)| name)
            .collect()
    }
}

/// The customer ids and the order ids whose pages are read.
pub type Ids = (Vec<i64>, Vec<i64>);

/// One variant's shop and the truth, advanced together.
#[derive(Debug)]
pub struct World {
    shop: Shop,
    pub conn: Connection,
    truth: Truth,
    step: usize,
}

impl World {
    /// A fresh in-memory database with the shop's schema.
    pub fn new(shop: Shop) -> rusqlite::Result<Self> {
        let conn = lab_kit::sqlite::memory()?;
        conn.execute_batch(shop.schema)?;
        Ok(Self {
            shop,
            conn,
            truth: Truth::default(),
            step: 0,
        })
    }

    /// Whether the app offers `op` now (see [`Truth::allows`]).
    pub fn allows(&self, op: &Op) -> bool {
        self.truth.allows(op)
    }

    /// Runs `op` through the shop at the next tick of the clock, and through the truth:
    /// what the shop answered, and what it should have.
    pub fn apply(&mut self, op: &Op) -> (String, String) {
        self.step += 1;
        let (c, now) = (&self.conn, at(self.step));
        let got: rusqlite::Result<String> = match op {
            Op::SignUp { email } => {
                (self.shop.sign_up)(c, email).map(|id| format!("customer #{id}"))
            }
            Op::PlaceOrder { customer, item } => {
                (self.shop.place_order)(c, *customer, item).map(|id| format!("order #{id}"))
            }
            Op::DeleteOrder { order } => (self.shop.delete_order)(c, *order, &now).map(|()| done()),
            Op::DeleteCustomer { customer } => {
                (self.shop.delete_customer)(c, *customer, &now).map(|()| done())
            }
            Op::UndeleteCustomer { customer } => {
                (self.shop.undelete_customer)(c, *customer).map(|()| done())
            }
        };
        let want = self.truth.apply(op);
        (answer(got.map_err(|e| e.to_string())), answer(want))
    }

    /// Every read path of the shop, through SQL.
    pub fn reads(&self, ids: &Ids) -> rusqlite::Result<Reads> {
        let (s, c) = (&self.shop, &self.conn);
        let (customer_ids, order_ids) = ids;
        let customers = lines(&(s.customers)(c)?);
        let orders = lines(&(s.orders)(c)?);
        let order_counts = lines(&(s.order_counts)(c)?);
        let mut customer_of = Vec::new();
        for &order in order_ids {
            customer_of.push(owner(order, (s.customer_of)(c, order)?));
        }
        let mut orders_of = Vec::new();
        for &customer in customer_ids {
            orders_of.push(owned(customer, &(s.orders_of)(c, customer)?));
        }
        Ok(Reads {
            customers,
            orders,
            order_counts,
            customer_of,
            orders_of,
        })
    }

    /// What every read path should show now, the pages of the same ids opened.
    pub fn truth(&self, ids: &Ids) -> Reads {
        let t = &self.truth;
        let (customer_ids, order_ids) = ids;
        Reads {
            customers: lines(&t.customers()),
            orders: lines(&t.orders()),
            order_counts: lines(&t.order_counts()),
            customer_of: order_ids
                .iter()
                .map(|&o| owner(o, t.customer_of(o)))
                .collect(),
            orders_of: customer_ids
                .iter()
                .map(|&c| owned(c, &t.orders_of(c)))
                .collect(),
        }
    }

    /// The ids whose pages are opened: every customer and order row stored, deleted or
    /// not (a shop that refused a sign-up the truth accepts has one customer fewer, and
    /// its customer list already shows that).
    pub fn stored_ids(&self) -> rusqlite::Result<Ids> {
        let ids = |table: &str| {
            let sql = format!("SELECT id FROM {table} ORDER BY id");
            crate::model::query(&self.conn, &sql, [], |r| r.get(0))
        };
        Ok((ids("shop_customer")?, ids("shop_order")?))
    }

    /// The schema as SQLite stored it: what the Django twin compares.
    pub fn schema(&self) -> rusqlite::Result<Vec<String>> {
        crate::model::query(
            &self.conn,
            "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' \
             ORDER BY rowid",
            [],
            |r| r.get(0),
        )
    }
}

fn done() -> String {
    "done".to_owned()
}

fn answer(result: Answer) -> String {
    result.unwrap_or_else(|e| format!("refused: {e}"))
}

fn lines<T: std::fmt::Display>(rows: &[T]) -> Vec<String> {
    rows.iter().map(ToString::to_string).collect()
}

fn owner(order: i64, customer: Option<crate::model::Customer>) -> String {
    let customer = customer.map_or_else(|| "none".to_owned(), |c| c.to_string());
    format!("order #{order}: {customer}")
}

fn owned(customer: i64, orders: &[crate::model::OrderLine]) -> String {
    let items: Vec<String> = orders
        .iter()
        .map(|o| format!("#{} {}", o.id, o.item))
        .collect();
    format!("customer #{customer}: [{}]", items.join(", "))
}
