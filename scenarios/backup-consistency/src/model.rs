//! What every variant shares: the shop's two tables (customers, and orders that point at
//! them), the seed, the writer's transactions, the database after each of its commits
//! (the truth, computed here from the transactions alone), and the ONE variant type,
//! [`Backup`].

use std::collections::BTreeMap;
use std::path::Path;

use rusqlite::Connection;
use serde::Serialize;

/// The tables of the app, in the order Django's `dumpdata` writes them: the models of the
/// app as they are defined, a customer before the orders that point at it.
pub const TABLES: [&str; 2] = ["shop_customer", "shop_order"];

/// A backup of the live database into a new file at `out`, in the moves the harness
/// interleaves with the writer's commits: `start`, then `table` once for each of
/// [`TABLES`] in that order, then `finish`. Each returns what it did, for the transcript;
/// the backup is restored by opening the file. `broken.rs` and every fix module export
/// one, `BACKUP`, and nothing else.
#[derive(Debug, Clone, Copy)]
pub struct Backup {
    pub start: fn(&Connection, &Path) -> rusqlite::Result<String>,
    pub table: fn(&Connection, &Path, &str) -> rusqlite::Result<String>,
    pub finish: fn(&Connection, &Path) -> rusqlite::Result<String>,
}

/// The tables Django creates for `Customer(name)` and `Order(customer -> Customer, item)`
/// in the database called `db` (`main`, or an attached one): its foreign key deferred,
/// and the index on it, as Django writes them for SQLite.
pub fn schema(db: &str) -> String {
    format!(
        "CREATE TABLE {db}.shop_customer (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
                                          name varchar(100) NOT NULL);
         CREATE TABLE {db}.shop_order (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, \
                                       item varchar(100) NOT NULL, \
                                       customer_id bigint NOT NULL REFERENCES shop_customer (id) \
                                       DEFERRABLE INITIALLY DEFERRED);
         CREATE INDEX {db}.shop_order_customer_id ON shop_order (customer_id);"
    )
}

/// Every row of the two tables: the database at one moment, or what a backup holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Shop {
    /// id -> name.
    pub customers: BTreeMap<i64, String>,
    /// id -> (customer id, item).
    pub orders: BTreeMap<i64, (i64, String)>,
}

impl Shop {
    /// The shop the story starts with: ada (two orders), bob and cy (one each).
    pub fn seed() -> Self {
        let customers = [(1, "ada"), (2, "bob"), (3, "cy")];
        let orders = [
            (1, 1, "lamp"),
            (2, 1, "desk"),
            (3, 2, "chair"),
            (4, 3, "rug"),
        ];
        Self {
            customers: customers.map(|(id, n)| (id, n.to_owned())).into(),
            orders: orders.map(|(id, c, i)| (id, (c, i.to_owned()))).into(),
        }
    }

    /// Row counts by table, as reports show them.
    pub fn counts(&self) -> BTreeMap<&'static str, usize> {
        BTreeMap::from([
            (TABLES[0], self.customers.len()),
            (TABLES[1], self.orders.len()),
        ])
    }

    /// Inserts every row into the app's tables on `conn`.
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        let tx = conn.unchecked_transaction()?;
        for (id, name) in &self.customers {
            tx.execute(
                "INSERT INTO shop_customer (id, name) VALUES (?1, ?2)",
                (id, name),
            )?;
        }
        for (id, (customer, item)) in &self.orders {
            let sql = "INSERT INTO shop_order (id, customer_id, item) VALUES (?1, ?2, ?3)";
            tx.execute(sql, (id, customer, item))?;
        }
        tx.commit()
    }

    /// Every row of the app's tables in the database called `db` on `conn`.
    pub fn read(conn: &Connection, db: &str) -> rusqlite::Result<Self> {
        let mut shop = Self::default();
        let mut stmt = conn.prepare(&format!("SELECT id, name FROM {db}.shop_customer"))?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))? {
            let (id, name) = row?;
            shop.customers.insert(id, name);
        }
        let sql = format!("SELECT id, customer_id, item FROM {db}.shop_order");
        let mut stmt = conn.prepare(&sql)?;
        for row in stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))? {
            let (id, customer, item) = row?;
            shop.orders.insert(id, (customer, item));
        }
        Ok(shop)
    }
}

/// One of the writer's transactions, with its ids decided: what the site commits.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Write {
    /// `Customer.objects.create(...)` and the first `Order`, committed together.
    SignUp {
        customer: i64,
        name: String,
        order: i64,
        item: String,
    },
    /// `Order.objects.create(customer=..., item=...)`.
    Order {
        customer: i64,
        order: i64,
        item: String,
    },
    /// `customer.delete()`: the `on_delete=CASCADE` orders first, then the customer.
    Close { customer: i64, orders: Vec<i64> },
}

impl Write {
    /// The change applied to the shop in Rust: the truth the backups are judged against.
    pub fn apply(&self, shop: &mut Shop) {
        match self {
            Self::SignUp {
                customer,
                name,
                order,
                item,
            } => {
                shop.customers.insert(*customer, name.clone());
                shop.orders.insert(*order, (*customer, item.clone()));
            }
            Self::Order {
                customer,
                order,
                item,
            } => {
                shop.orders.insert(*order, (*customer, item.clone()));
            }
            Self::Close { customer, .. } => {
                shop.orders.retain(|_, (c, _)| c != customer);
                shop.customers.remove(customer);
            }
        }
    }

    /// The transaction the site commits for it.
    pub fn sql(&self) -> String {
        let body = match self {
            Self::SignUp {
                customer,
                name,
                order,
                item,
            } => format!(
                "INSERT INTO shop_customer (id, name) VALUES ({customer}, '{name}'); \
                 INSERT INTO shop_order (id, customer_id, item) VALUES ({order}, {customer}, '{item}');"
            ),
            Self::Order {
                customer,
                order,
                item,
            } => format!(
                "INSERT INTO shop_order (id, customer_id, item) VALUES ({order}, {customer}, '{item}');"
            ),
            Self::Close { customer, orders } if orders.is_empty() => {
                format!("DELETE FROM shop_customer WHERE id IN ({customer});")
            }
            Self::Close { customer, orders } => {
                let ids: Vec<String> = orders.iter().map(i64::to_string).collect();
                format!(
                    "DELETE FROM shop_order WHERE id IN ({}); \
                     DELETE FROM shop_customer WHERE id IN ({customer});",
                    ids.join(", ")
                )
            }
        };
        format!("BEGIN; {body} COMMIT;")
    }
}

/// The shop after each commit of `writes`: `[0]` before any, `[k]` after the first k.
pub fn states(seed: &Shop, writes: &[Write]) -> Vec<Shop> {
    let mut shop = seed.clone();
    let mut out = vec![shop.clone()];
    for write in writes {
        write.apply(&mut shop);
        out.push(shop.clone());
    }
    out
}

/// How many rows `table` has in the database file at `path`.
pub fn count_rows(path: &Path, table: &str) -> rusqlite::Result<i64> {
    let conn = Connection::open(path)?;
    conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
}
