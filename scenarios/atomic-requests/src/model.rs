//! What every variant shares: the shop's tables and their seed, ann's cart, the project's
//! `ATOMIC_REQUESTS` setting and the request handler that honours it, `atomic()`, the
//! model calls of the checkout, and the ONE variant type (`View`: the checkout view and
//! whether it opts out of the request's transaction).

use rusqlite::Connection;
use serde::Serialize;

use crate::outbound::Outbound;

/// The tables Django creates for `Customer(name, address)`, `Order(customer, total,
/// status, charge)` and `Payment(order, charge, amount)`, with ann and bob as customers.
pub const SCHEMA: &str = "
CREATE TABLE shop_customer (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    name varchar(100) NOT NULL,
    address varchar(200) NOT NULL
);
CREATE TABLE shop_order (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    customer_id bigint NOT NULL REFERENCES shop_customer (id) DEFERRABLE INITIALLY DEFERRED,
    total integer NOT NULL,
    status varchar(10) NOT NULL,
    charge varchar(40) NOT NULL
);
CREATE TABLE shop_payment (
    id integer NOT NULL PRIMARY KEY AUTOINCREMENT,
    order_id bigint NOT NULL REFERENCES shop_order (id) DEFERRABLE INITIALLY DEFERRED,
    charge varchar(40) NOT NULL,
    amount integer NOT NULL
);
INSERT INTO shop_customer (id, name, address) VALUES (1, 'Ann', '1 Elm Street'), (2, 'Bob', '2 Oak Street');
";

/// What a customer checks out: who, and how much the card is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Cart {
    pub customer: i64,
    pub total: i64,
}

/// ann's cart: 40 for customer 1.
pub const ANNS_CART: Cart = Cart {
    customer: 1,
    total: 40,
};

/// The project's setting, `DATABASES["default"]["ATOMIC_REQUESTS"] = True`: the handler
/// runs every view inside one transaction, unless the view opts out.
pub const ATOMIC_REQUESTS: bool = true;

/// The checkout view's code: `broken.rs` and the fix export one `View`, `CHECKOUT`.
pub type CheckoutFn = fn(&Connection, &Outbound, &Cart) -> Result<Receipt, ViewError>;

/// A view as the handler sees it.
#[derive(Debug, Clone, Copy)]
pub struct View {
    /// `@transaction.non_atomic_requests`: the handler does not wrap this view in the
    /// request's transaction, whatever `ATOMIC_REQUESTS` says.
    pub non_atomic_requests: bool,
    /// The view itself.
    pub checkout: CheckoutFn,
}

/// What a successful checkout answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Receipt {
    pub order: i64,
    pub charge: String,
}

/// Why a checkout failed: raised in the view, a 500 for the client.
#[derive(Debug, thiserror::Error)]
pub enum ViewError {
    #[error("database: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("{service} answered {status} {body}")]
    Refused {
        service: &'static str,
        status: u16,
        body: String,
    },
    #[error("{service} is unreachable: {why}")]
    Unreachable { service: &'static str, why: String },
}

/// An order as the view holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Order {
    pub id: i64,
    pub total: i64,
}

impl Order {
    /// `Order.objects.create(customer=..., total=..., status="new")`.
    pub fn create(conn: &Connection, cart: &Cart) -> rusqlite::Result<Self> {
        conn.execute(
            "INSERT INTO shop_order (customer_id, total, status, charge) VALUES (?1, ?2, 'new', '')",
            (cart.customer, cart.total),
        )?;
        Ok(Self {
            id: conn.last_insert_rowid(),
            total: cart.total,
        })
    }

    /// The two writes that record a payment and belong together: the order is paid with
    /// `charge`, and the payment row says so.
    pub fn mark_paid(&self, conn: &Connection, charge: &str) -> rusqlite::Result<()> {
        conn.execute(
            "UPDATE shop_order SET status = 'paid', charge = ?1 WHERE id = ?2",
            (charge, self.id),
        )?;
        conn.execute(
            "INSERT INTO shop_payment (order_id, charge, amount) VALUES (?1, ?2, ?3)",
            (self.id, charge, self.total),
        )?;
        Ok(())
    }
}

/// `with transaction.atomic():` - `BEGIN` ... `COMMIT` in autocommit, a savepoint inside a
/// transaction; an error rolls the block back and is returned.
pub fn atomic<T>(
    conn: &Connection,
    body: impl FnOnce(&Connection) -> Result<T, ViewError>,
) -> Result<T, ViewError> {
    let outermost = conn.is_autocommit();
    let (enter, commit, roll_back) = match outermost {
        true => ("BEGIN", "COMMIT", "ROLLBACK"),
        false => (
            "SAVEPOINT atomic",
            "RELEASE SAVEPOINT atomic",
            "ROLLBACK TO SAVEPOINT atomic; RELEASE SAVEPOINT atomic",
        ),
    };
    conn.execute_batch(enter)?;
    let result = body(conn).and_then(|value| Ok(conn.execute_batch(commit).map(|()| value)?));
    if result.is_err() {
        // The view's error is the one to report; a failed rollback adds nothing to it.
        let _ = conn.execute_batch(roll_back);
    }
    result
}

/// Django's request handler for `POST /checkout`: the view inside the request's
/// transaction when `ATOMIC_REQUESTS` applies to it, and the answer - 201 with the order,
/// or 500 when the view raised (which rolled that transaction back).
pub fn handle(view: &View, conn: &Connection, outbound: &Outbound, cart: &Cart) -> (u16, String) {
    let result = match ATOMIC_REQUESTS && !view.non_atomic_requests {
        true => atomic(conn, |conn| (view.checkout)(conn, outbound, cart)),
        false => (view.checkout)(conn, outbound, cart),
    };
    match result {
        Ok(receipt) => (
            201,
            format!(
                "201 Created: order {} paid ({})",
                receipt.order, receipt.charge
            ),
        ),
        Err(e) => (500, format!("500 Internal Server Error: {e}")),
    }
}
