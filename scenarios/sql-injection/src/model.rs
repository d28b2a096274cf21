//! What every variant shares: the shop's two tables and their rows, the search form's
//! one rule, the truth a search is judged by, and the one variant type.

use rusqlite::{Connection, Row};
use serde::{Deserialize, Serialize};

/// How the product search asks the database for the published products whose name
/// contains `q`: `broken.rs` and the fix each expose one, `search`.
pub type SearchFn = fn(conn: &Connection, q: &str) -> rusqlite::Result<Vec<Product>>;

/// The tables Django creates for a `Product` model in the `shop` app and for its own
/// `auth.User` (only the columns the lab uses).
pub const SCHEMA: &str = "
CREATE TABLE shop_product (
    id        INTEGER PRIMARY KEY AUTOINCREMENT,
    name      TEXT NOT NULL,
    price     INTEGER NOT NULL,
    published INTEGER NOT NULL
);
CREATE TABLE auth_user (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    username TEXT NOT NULL UNIQUE,
    password TEXT NOT NULL
);
";

/// One product as the search returns it (price in cents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Product {
    pub id: i64,
    pub name: String,
    pub price: i64,
}

impl Product {
    /// Reads a row whose columns are `id, name, price`.
    pub fn from_row(row: &Row<'_>) -> rusqlite::Result<Self> {
        Ok(Self {
            id: row.get(0)?,
            name: row.get(1)?,
            price: row.get(2)?,
        })
    }
}

/// The catalogue: (name, price in cents, published). Unpublished products are drafts
/// that only staff may see.
pub const PRODUCTS: [(&str, i64, bool); 7] = [
    ("Brass desk lamp", 4900, true),
    ("Grandma's teapot", 2500, true),
    ("Prototype lamp, not for sale", 19900, false),
    ("Oak bookshelf", 12900, true),
    ("Wool scarf", 3900, true),
    ("Staff discount list", 0, false),
    ("Winter collection (embargoed)", 8900, false),
];

/// The accounts: username and the password hash Django stores (`pbkdf2_sha256`, its
/// default hasher; these are well-formed but made up).
pub const USERS: [(&str, &str); 2] = [
    (
        "admin",
        "pbkdf2_sha256$1000000$x2QbV9kPz1mN$8cW3nXfE0y1q4ZlPp2bTqg6uJr7sYvDk5aMh0LiCo9E=",
    ),
    (
        "ada",
        "pbkdf2_sha256$1000000$Tg7sYw3LrQ0e$Q1vH5mZb8Kc2XaN0pUe4sWj6Ry9dFo3LtGi7Ph2Bn4A=",
    ),
];

/// Creates the tables and inserts [`PRODUCTS`] and [`USERS`] (ids from 1, in order).
pub fn load(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(SCHEMA)?;
    let mut product =
        conn.prepare("INSERT INTO shop_product (name, price, published) VALUES (?1, ?2, ?3)")?;
    for (name, price, published) in PRODUCTS {
        product.execute((name, price, published))?;
    }
    let mut user = conn.prepare("INSERT INTO auth_user (username, password) VALUES (?1, ?2)")?;
    for (username, password) in USERS {
        user.execute((username, password))?;
    }
    Ok(())
}

/// Why the search form refused a query before any SQL ran.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FormError {
    /// Django's `forms.CharField` refuses NUL with this message
    /// (`ProhibitNullCharactersValidator`); SQLite's `LIKE` would stop reading its
    /// pattern at one.
    #[error("Null characters are not allowed.")]
    NullCharacter,
}

/// The search form's one rule, as Django's `CharField` applies it: no NUL characters.
pub fn clean_query(q: &str) -> Result<&str, FormError> {
    if q.contains('\0') {
        Err(FormError::NullCharacter)
    } else {
        Ok(q)
    }
}

/// The truth, computed from [`PRODUCTS`] alone: what the search must show for `q` - the
/// form's refusal, or the published products whose name contains `q`, ignoring ASCII
/// case as SQLite's `LIKE` (and Django's `icontains` on SQLite) does, by id.
pub fn truth(q: &str) -> Result<Vec<Product>, FormError> {
    let q = clean_query(q)?.to_ascii_lowercase();
    Ok(PRODUCTS
        .iter()
        .zip(1..)
        .filter(|((name, _, published), _)| *published && name.to_ascii_lowercase().contains(&q))
        .map(|(&(name, price, _), id)| Product {
            id,
            name: name.to_owned(),
            price,
        })
        .collect())
}
