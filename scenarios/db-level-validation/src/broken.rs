//! The pitfall: the product's rules live in the model's validators only, so the table
//! takes any SKU and any discount from every path that does not call `full_clean()`.

/// The table Django 5.2 creates for `sku = CharField(max_length=20,
/// validators=[RegexValidator(SKU_PATTERN)])` and `discount = IntegerField(default=0,
/// validators=[MinValueValidator(0), MaxValueValidator(100)])`, word for word but for its
/// double quotes (the Django twin checks it).
pub const SCHEMA: &str = concat!(
    "CREATE TABLE app_product (id integer NOT NULL PRIMARY KEY AUTOINCREMENT,\n",
    // PITFALL: validators are Python code that runs only in `full_clean()` (forms, the
    // admin, a caller that remembers it). Nothing of them reaches the table: no
    // constraint says what a SKU or a discount may be, so `save()`, `bulk_create()` and
    // `update()` store whatever they are given.
    "    sku varchar(20) NOT NULL,\n",
    "    discount integer NOT NULL)",
);
