//! The fix: the validators' rules as CHECK constraints, so the database refuses an
//! invalid row from every path; the SKU's uses the `REGEXP` function the connection
//! registers, as Django's SQLite backend does.

/// The table Django 5.2 creates for the same fields plus
/// `CheckConstraint(condition=Q(sku__regex=SKU_PATTERN), name="product_sku_format")` and
/// `CheckConstraint(condition=Q(discount__range=(0, 100)), name="product_discount_range")`,
/// word for word but for its double quotes.
pub const SCHEMA: &str = concat!(
    "CREATE TABLE app_product (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n",
    "    sku varchar(20) NOT NULL,\n",
    "    discount integer NOT NULL,\n",
    // FIX: the SKU's format, checked by the database on every INSERT and UPDATE. SQLite
    // calls the connection's regexp(pattern, sku); a connection without that function
    // cannot write this table at all.
    "    CONSTRAINT product_sku_format CHECK (sku REGEXP '^[A-Z]{3}-[0-9]{4}$'),\n",
    // FIX: the discount's range, which needs nothing but SQLite.
    "    CONSTRAINT product_discount_range CHECK (discount BETWEEN 0 AND 100))",
);
