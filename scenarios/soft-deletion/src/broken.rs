//! The pitfall: a `deleted_at` column that the default query hides (Django: a default
//! manager whose `get_queryset()` filters `deleted_at__isnull=True`), while joins, counts,
//! a forward foreign key and the unique email still see the deleted rows.

use rusqlite::{Connection, OptionalExtension};

use crate::model::{Customer, OrderCount, OrderLine, Shop, customer_at, insert, order_line, query};

/// The tables Django 5.2 creates for `Customer(email = EmailField(unique=True),
/// deleted_at)` and `Order(customer = ForeignKey(Customer), item, deleted_at)`, word for
/// word but for its double quotes (the Django twin checks it).
pub const SCHEMA: &str = concat!(
    "CREATE TABLE shop_customer (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    // PITFALL: UNIQUE counts every row, deleted or not: a customer who deleted their
    // account can never sign up again with the same address.
    "email varchar(254) NOT NULL UNIQUE, deleted_at datetime NULL);\n",
    "CREATE TABLE shop_order (id integer NOT NULL PRIMARY KEY AUTOINCREMENT, ",
    "customer_id integer NOT NULL REFERENCES shop_customer (id) DEFERRABLE INITIALLY DEFERRED, ",
    "item varchar(50) NOT NULL, deleted_at datetime NULL);\n",
    "CREATE INDEX shop_order_customer_id_f638df20 ON shop_order (customer_id);",
);

/// The condition the default manager (`objects = LiveManager()`) adds to every query on
/// `table` itself.
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
    // PITFALL: only the customer's row is marked. Django's on_delete=CASCADE belongs to
    // the hard delete this method replaces, so the customer's orders stay live.
    conn.execute(
        "UPDATE shop_customer SET deleted_at = ?1 WHERE shop_customer.id = ?2",
        (at, customer),
    )?;
    Ok(())
}

/// `customer.undelete()`: clears `deleted_at`.
pub fn undelete_customer(conn: &Connection, customer: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE shop_customer SET deleted_at = NULL WHERE shop_customer.id = ?1",
        [customer],
    )?;
    Ok(())
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
         WHERE {} ORDER BY shop_order.id ASC",
        // PITFALL: Order's manager filters orders; the joined customer is not filtered,
        // so a deleted customer's orders are listed under their name.
        live("shop_order")
    );
    query(conn, &sql, [], order_line)
}

/// `Customer.objects.annotate(n=Count("orders")).order_by("pk")`.
pub fn order_counts(conn: &Connection) -> rusqlite::Result<Vec<OrderCount>> {
    let sql = format!(
        "SELECT shop_customer.id, shop_customer.email, COUNT(shop_order.id) FROM shop_customer \
         LEFT OUTER JOIN shop_order ON (shop_customer.id = shop_order.customer_id) \
         WHERE {} GROUP BY shop_customer.id, shop_customer.email ORDER BY shop_customer.id ASC",
        // PITFALL: the aggregate's join never goes through Order's manager: deleted
        // orders are counted.
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
    let sql = format!(
        "SELECT shop_order.customer_id FROM shop_order WHERE ({} AND shop_order.id = ?1)",
        live("shop_order")
    );
    let Some(customer) = conn
        .query_row(&sql, [order], |r| r.get::<_, i64>(0))
        .optional()?
    else {
        return Ok(None);
    };
    // PITFALL: a forward foreign key is fetched through the base manager
    // (`Customer._base_manager`, a plain Manager): no deleted_at filter, so a live order
    // of a deleted customer shows that customer.
    let sql = "SELECT shop_customer.id, shop_customer.email FROM shop_customer \
               WHERE shop_customer.id = ?1";
    conn.query_row(sql, [customer], |r| customer_at(r, 0))
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
