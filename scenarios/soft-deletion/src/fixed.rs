//! The fix, with broken.rs's public items: the live-row condition on every table a query
//! reads (joins and aggregates included), a unique index over live rows only, and delete
//! and undelete that carry a customer's orders with them.

use rusqlite::{Connection, OptionalExtension};

use crate::model::{Customer, OrderCount, OrderLine, Shop, customer_at, insert, order_line, query};

/// The tables Django 5.2 creates for `Customer(email = EmailField(), deleted_at)` with
/// `UniqueConstraint(fields=["email"], condition=Q(deleted_at__isnull=True))` and
/// `Order(customer = ForeignKey(Customer), item, deleted_at)`, word for word but for its
/// double quotes (the Django twin checks it).
pub const SCHEMA: &str = concat!(
    "CREATE TABLE shop_customer (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    // FIX: no UNIQUE on the column ...
    "email varchar(254) NOT NULL, deleted_at datetime NULL);\n",
    "CREATE TABLE shop_order (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "customer_id integer NOT NULL REFERENCES shop_customer (id) DEFERRABLE INITIALLY DEFERRED, ",
    "item varchar(50) NOT NULL, deleted_at datetime NULL);\n",
    // FIX: ... but a partial unique index: two live customers cannot share an address,
    // any number of deleted ones can.
    "CREATE UNIQUE INDEX shop_customer_live_email ON shop_customer (email) ",
    "WHERE deleted_at IS NULL;\n",
    "CREATE INDEX shop_order_customer_id_f638df20 ON shop_order (customer_id);",
);

/// The one scope: the condition the default manager (`objects = LiveManager()`) adds to
/// every query on `table` itself, and that every query here adds for each table it joins.
fn live(table: &str) -> String {
    format!("{table}.deleted_at IS NULL")
}

/// `Customer.objects.create(email=email)`.
pub fn sign_up(conn: &Connection, email: &str) -> rusqlite::Result<i64> {
    let sql = "INSERT INTO shop_customer (email, deleted_at) VALUES (?1, NULL)";
    insert(conn, sql, [email])
}

/// `Order.objects.create(customer=customer, item=item)`.
pub fn place_order(conn: &Connection, customer: i64, item: &str) -> rusqlite::Result<i64> {
    let sql = "INSERT INTO shop_order (customer_id, item, deleted_at) VALUES (?1, ?2, NULL)";
    insert(conn, sql, (customer, item))
}

/// `order.delete()`, overridden to set `deleted_at` and save.
pub fn delete_order(conn: &Connection, order: i64, at: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE shop_order SET deleted_at = ?1 WHERE shop_order.id = ?2",
        (at, order),
    )?;
    Ok(())
}

/// `customer.delete()`, overridden the same way.
pub fn delete_customer(conn: &Connection, customer: i64, at: &str) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    // FIX: the soft delete cascades: the customer's live orders get the same deleted_at,
    // in the same transaction, so undelete can tell them from orders deleted before.
    tx.execute(
        &format!(
            "UPDATE shop_order SET deleted_at = ?1 WHERE ({} AND shop_order.customer_id = ?2)",
            live("shop_order")
        ),
        (at, customer),
    )?;
    tx.execute(
        "UPDATE shop_customer SET deleted_at = ?1 WHERE shop_customer.id = ?2",
        (at, customer),
    )?;
    tx.commit()
}

/// `customer.undelete()`: clears `deleted_at`.
pub fn undelete_customer(conn: &Connection, customer: i64) -> rusqlite::Result<()> {
    let tx = conn.unchecked_transaction()?;
    let stamp: Option<String> = tx.query_row(
        "SELECT shop_customer.deleted_at FROM shop_customer WHERE shop_customer.id = ?1",
        [customer],
        |r| r.get(0),
    )?;
    // The partial unique index refuses this when a live customer took the address
    // meanwhile: the caller sees the IntegrityError and nothing changed.
    tx.execute(
        "UPDATE shop_customer SET deleted_at = NULL WHERE shop_customer.id = ?1",
        [customer],
    )?;
    // FIX: the orders the cascade deleted (same deleted_at) come back with the customer;
    // the ones deleted before stay deleted.
    tx.execute(
        "UPDATE shop_order SET deleted_at = NULL \
         WHERE (shop_order.customer_id = ?1 AND shop_order.deleted_at = ?2)",
        (customer, stamp),
    )?;
    tx.commit()
}

/// `Customer.objects.order_by("pk")`.
pub fn customers(conn: &Connection) -> rusqlite::Result<Vec<Customer>> {
    let sql = format!(
        "SELECT shop_customer.id, shop_customer.email FROM shop_customer WHERE {} \
         ORDER BY shop_customer.id ASC",
        live("shop_customer")
    );
    query(conn, &sql, [], |r| customer_at(r, 0))
}

/// `Order.objects.select_related("customer").order_by("pk")`.
pub fn orders(conn: &Connection) -> rusqlite::Result<Vec<OrderLine>> {
    let sql = format!(
        "SELECT shop_order.id, shop_order.item, shop_customer.id, shop_customer.email \
         FROM shop_order INNER JOIN shop_customer ON (shop_order.customer_id = shop_customer.id) \
         WHERE ({} AND {}) ORDER BY shop_order.id ASC",
        live("shop_order"),
        // FIX: the joined customer is in the scope too.
        live("shop_customer")
    );
    query(conn, &sql, [], order_line)
}

/// `Customer.objects.annotate(n=Count("orders")).order_by("pk")`.
pub fn order_counts(conn: &Connection) -> rusqlite::Result<Vec<OrderCount>> {
    let sql = format!(
        "SELECT shop_customer.id, shop_customer.email, COUNT(shop_order.id) FILTER (WHERE {}) \
         FROM shop_customer \
         LEFT OUTER JOIN shop_order ON (shop_customer.id = shop_order.customer_id) \
         WHERE {} GROUP BY shop_customer.id, shop_customer.email ORDER BY shop_customer.id ASC",
        // FIX: the aggregate counts live orders only (`Count(..., filter=Q(...))`).
        live("shop_order"),
        live("shop_customer")
    );
    query(conn, &sql, [], |r| {
        Ok(OrderCount {
            customer: customer_at(r, 0)?,
            orders: r.get(2)?,
        })
    })
}

/// `Order.objects.filter(pk=order).first()`, then `order.customer`.
pub fn customer_of(conn: &Connection, order: i64) -> rusqlite::Result<Option<Customer>> {
    // FIX: one query, the order and its customer both in the scope; never the base
    // manager's unfiltered lookup by id.
    let sql = format!(
        "SELECT shop_customer.id, shop_customer.email FROM shop_order \
         INNER JOIN shop_customer ON (shop_order.customer_id = shop_customer.id) \
         WHERE ({} AND {} AND shop_order.id = ?1)",
        live("shop_order"),
        live("shop_customer")
    );
    conn.query_row(&sql, [order], |r| customer_at(r, 0))
        .optional()
}

/// `Customer.objects.filter(pk=customer).first()`, then `customer.orders.order_by("pk")`.
pub fn orders_of(conn: &Connection, customer: i64) -> rusqlite::Result<Vec<OrderLine>> {
    let sql = format!(
        "SELECT shop_customer.id, shop_customer.email FROM shop_customer \
         WHERE ({} AND shop_customer.id = ?1)",
        live("shop_customer")
    );
    let Some(owner) = conn
        .query_row(&sql, [customer], |r| customer_at(r, 0))
        .optional()?
    else {
        return Ok(Vec::new());
    };
    // The reverse related manager is built from Order's default manager: it filters.
    let sql = format!(
        "SELECT shop_order.id, shop_order.item FROM shop_order \
         WHERE ({} AND shop_order.customer_id = ?1) ORDER BY shop_order.id ASC",
        live("shop_order")
    );
    query(conn, &sql, [customer], |r| {
        Ok(OrderLine {
            id: r.get(0)?,
            item: r.get(1)?,
            customer: owner.clone(),
        })
    })
}

/// This module's shop.
pub const SHOP: Shop = Shop {
    schema: SCHEMA,
    sign_up,
    place_order,
    delete_order,
    delete_customer,
    undelete_customer,
    customers,
    orders,
    order_counts,
    customer_of,
    orders_of,
};
