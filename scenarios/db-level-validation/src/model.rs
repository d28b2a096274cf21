//! What every variant shares: the product's validators (the rules, and the truth every
//! stored row is judged by), the writes and the seed story, the connection Django's
//! SQLite backend opens, the table the rules allow, and the one variant type. The app's
//! write paths are in `paths.rs`.

use regex::Regex;
use rusqlite::Connection;
use serde::Serialize;

use crate::regexp;

/// A variant is its `CREATE TABLE app_product` statement: `broken.rs` and the fix each
/// expose one, `SCHEMA`. Every write path (`paths.rs`) is the same app code for both.
pub type Schema = &'static str;

/// The SKU format: three capital letters, a dash, four digits. The model's field has
/// `validators=[RegexValidator(SKU_PATTERN)]`.
pub const SKU_PATTERN: &str = "^[A-Z]{3}-[0-9]{4}$";

/// A discount is a percentage between these two, inclusive: `validators=[
/// MinValueValidator(0), MaxValueValidator(100)]`.
pub const DISCOUNT_RANGE: (i64, i64) = (0, 100);

/// One product row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Product {
    pub sku: String,
    pub discount: i64,
}

impl Product {
    pub fn new(sku: &str, discount: i64) -> Self {
        Self {
            sku: sku.to_owned(),
            discount,
        }
    }

    /// What `full_clean()` says about this product, in Django's words and field order;
    /// empty when it is valid. The rules every stored row is judged by.
    pub fn errors(&self) -> Vec<String> {
        let sku = Regex::new(SKU_PATTERN).expect("the SKU pattern compiles");
        let mut errors = Vec::new();
        if !sku.is_match(&self.sku) {
            errors.push("sku: Enter a valid value.".to_owned());
        }
        let (min, max) = DISCOUNT_RANGE;
        if self.discount < min {
            errors.push(format!(
                "discount: Ensure this value is greater than or equal to {min}."
            ));
        }
        if self.discount > max {
            errors.push(format!(
                "discount: Ensure this value is less than or equal to {max}."
            ));
        }
        errors
    }

    /// `ABC-1234 (discount 60)`.
    pub fn describe(&self) -> String {
        format!("{} (discount {})", self.sku, self.discount)
    }
}

/// One write, by the path the app takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "path", rename_all = "snake_case")]
pub enum Write {
    /// The product form (or the admin): `full_clean()`, then `save()`.
    Form { product: Product },
    /// A script that builds a product and calls `save()`: no validation.
    Save { product: Product },
    /// The nightly import: `Product.objects.bulk_create([...])`, one INSERT in a
    /// transaction, no validation.
    BulkCreate { products: Vec<Product> },
    /// The sale: `Product.objects.update(discount=F("discount") + add)`, one UPDATE, no
    /// validation.
    Update { add: i64 },
}

impl Write {
    /// The write as a line of the transcript.
    pub fn describe(&self) -> String {
        let list = |ps: &[Product]| ps.iter().map(Product::describe).collect::<Vec<_>>();
        match self {
            Self::Form { product } => format!(
                "the product form saves {} after full_clean()",
                product.describe()
            ),
            Self::Save { product } => {
                format!("a script calls save() on {}", product.describe())
            }
            Self::BulkCreate { products } => format!(
                "the import calls bulk_create() with {}",
                list(products).join(", ")
            ),
            Self::Update { add } => {
                format!("the sale runs update(discount=F(\"discount\") + {add}) on every product")
            }
        }
    }
}

/// The seed story: the form saves a valid product and refuses an invalid one; the import,
/// a script and the sale each bring a value the form would have refused.
pub fn seed() -> Vec<Write> {
    vec![
        Write::Form {
            product: Product::new("ABC-1234", 60),
        },
        Write::Form {
            product: Product::new("abc-12", 5),
        },
        Write::BulkCreate {
            products: vec![Product::new("XYZ-0001", 5), Product::new("bad sku", 0)],
        },
        Write::Save {
            product: Product::new("QRS-0002", 150),
        },
        Write::Update { add: 50 },
    ]
}

/// A connection as Django's SQLite backend opens one: foreign keys on, and the `REGEXP`
/// function registered.
pub fn connect() -> rusqlite::Result<Connection> {
    let conn = lab_kit::sqlite::memory()?;
    regexp::register(&conn)?;
    Ok(conn)
}

/// Every stored product, in id order.
pub fn stored(conn: &Connection) -> rusqlite::Result<Vec<Product>> {
    let mut stmt = conn.prepare("SELECT sku, discount FROM app_product ORDER BY id")?;
    let rows = stmt.query_map([], |r| {
        Ok(Product {
            sku: r.get(0)?,
            discount: r.get(1)?,
        })
    })?;
    rows.collect()
}

/// The table a database that enforced the validators would hold after `writes`, computed
/// from the writes alone: a write whose values are all valid is stored; one with an
/// invalid value is refused whole (one INSERT, one UPDATE, one transaction).
pub fn expected(writes: &[Write]) -> Vec<Product> {
    let mut table: Vec<Product> = Vec::new();
    for write in writes {
        match write {
            Write::Form { product } | Write::Save { product } => {
                if product.errors().is_empty() {
                    table.push(product.clone());
                }
            }
            Write::BulkCreate { products } => {
                if products.iter().all(|p| p.errors().is_empty()) {
                    table.extend(products.iter().cloned());
                }
            }
            Write::Update { add } => {
                let updated: Vec<Product> = table
                    .iter()
                    .map(|p| Product::new(&p.sku, p.discount + add))
                    .collect();
                if updated.iter().all(|p| p.errors().is_empty()) {
                    table = updated;
                }
            }
        }
    }
    table
}
