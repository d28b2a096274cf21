//! The fix, with broken.rs's public items: an index in the list's order and pages that
//! start where the previous one ended, a count that stops at its limit, and a search
//! that looks words up in a full-text index instead of reading every row.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::model::{COLUMNS, COUNT_LIMIT, Count, Order, PER_PAGE, Page, PageRequest};

/// The migration that ships with the admin: what the list's order and search need.
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(concat!(
        // FIX: an index in the list's order. Every SQLite index ends with the rowid (here
        // `id`), so this one is sorted by (created_at, id): what `ORDER BY created_at
        // DESC, id DESC` reads backwards, and what a range can start in the middle of.
        "CREATE INDEX app_order_created_at ON app_order (created_at);\n",
        // FIX: FTS5, SQLite's full-text engine, with its trigram tokenizer: every
        // three-character piece of `customer` is a key, so any word of three characters
        // or more is looked up, case-insensitively, as a substring - `icontains` from an
        // index. It reads `app_order` (external content) and triggers keep it current.
        "CREATE VIRTUAL TABLE app_order_search USING fts5(\n",
        "    customer, content='app_order', content_rowid='id', tokenize='trigram'\n",
        ");\n",
        "INSERT INTO app_order_search (app_order_search) VALUES ('rebuild');\n",
        "CREATE TRIGGER app_order_search_insert AFTER INSERT ON app_order BEGIN\n",
        "    INSERT INTO app_order_search (rowid, customer) VALUES (new.id, new.customer);\n",
        "END;\n",
        "CREATE TRIGGER app_order_search_delete AFTER DELETE ON app_order BEGIN\n",
        "    INSERT INTO app_order_search (app_order_search, rowid, customer)\n",
        "    VALUES ('delete', old.id, old.customer);\n",
        "END;\n",
        "CREATE TRIGGER app_order_search_update AFTER UPDATE OF customer ON app_order BEGIN\n",
        "    INSERT INTO app_order_search (app_order_search, rowid, customer)\n",
        "    VALUES ('delete', old.id, old.customer);\n",
        "    INSERT INTO app_order_search (rowid, customer) VALUES (new.id, new.customer);\n",
        "END;\n",
    ))
}

/// `/admin/app/order/?q=...&after=...` as the fixed admin serves it (the Django twin
/// checks the SQL): a capped count, then the page after the `after` key.
pub fn change_list(conn: &Connection, request: &PageRequest) -> rusqlite::Result<Page> {
    let search = request.get("q").unwrap_or_default();
    let (mut conditions, mut params) = search_conditions(search);
    // FIX: count at most one row past the limit; beyond it the page says "more than
    // 1000 orders", and `show_full_result_count = False` drops the second count.
    let counted: i64 = conn.query_row(
        &format!(
            "SELECT COUNT(*) FROM (SELECT app_order.id AS col1 FROM app_order{} LIMIT {}) subquery",
            where_clause(&conditions),
            COUNT_LIMIT + 1
        ),
        params_from_iter(&params),
        |row| row.get(0),
    )?;
    let count = match counted.unsigned_abs() {
        n if n > COUNT_LIMIT => Count::MoreThan(COUNT_LIMIT),
        n => Count::Exact(n),
    };
    // FIX: keyset pagination. The next link carries the last row's (created_at, id); the
    // page is the next 100 rows after it in the index - the same few rows on page 5000 as
    // on page 2. `created_at <= ?` is a range SQLite seeks to; the second condition only
    // drops the rows of that second already shown (`id` breaks the ties: orders of the
    // same second would otherwise be skipped or shown twice).
    if let Some((created_at, id)) = request.get("after").and_then(parse_key) {
        conditions.push("app_order.created_at <= ?".to_owned());
        conditions.push("(app_order.created_at < ? OR app_order.id < ?)".to_owned());
        params.extend([
            Value::Text(created_at.clone()),
            Value::Text(created_at),
            Value::Integer(id),
        ]);
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM app_order{} \
         ORDER BY app_order.created_at DESC, app_order.id DESC LIMIT {}",
        where_clause(&conditions),
        PER_PAGE + 1
    );
    let mut statement = conn.prepare(&sql)?;
    let mut orders = statement
        .query_map(params_from_iter(&params), Order::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    // The one row past the page only says that a next page exists.
    let next = if orders.len() > PER_PAGE {
        orders.truncate(PER_PAGE);
        let last = orders.last().expect("a full page");
        let key = format!("{},{}", last.created_at, last.id);
        Some(request.without("p").with("after", key))
    } else {
        None
    };
    Ok(Page {
        orders,
        count,
        total: None,
        next,
    })
}

/// The search as WHERE conditions: words of three characters or more looked up in the
/// full-text index (each a quoted phrase: a substring), shorter words - which have no
/// trigram to look up - matched with `LIKE` on the rows the others found.
fn search_conditions(search: &str) -> (Vec<String>, Vec<Value>) {
    let (long, short): (Vec<&str>, Vec<&str>) = search
        .split_whitespace()
        .partition(|w| w.chars().count() >= 3);
    let mut conditions = Vec::new();
    let mut params = Vec::new();
    if !long.is_empty() {
        conditions.push(
            "app_order.id IN (SELECT rowid FROM app_order_search \
             WHERE app_order_search MATCH ?)"
                .to_owned(),
        );
        let phrases: Vec<String> = long
            .iter()
            .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
            .collect();
        params.push(Value::Text(phrases.join(" AND ")));
    }
    for word in short {
        conditions.push("app_order.customer LIKE ? ESCAPE '\\'".to_owned());
        let escaped = word
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        params.push(Value::Text(format!("%{escaped}%")));
    }
    (conditions, params)
}

/// ` WHERE a`, ` WHERE (a AND b)`, or nothing: how Django joins a queryset's filters.
fn where_clause(conditions: &[String]) -> String {
    match conditions {
        [] => String::new(),
        [one] => format!(" WHERE {one}"),
        many => format!(" WHERE ({})", many.join(" AND ")),
    }
}

/// `2024-03-01 09:00:00,4711` -> the creation time and the id of the last row shown.
fn parse_key(key: &str) -> Option<(String, i64)> {
    let (created_at, id) = key.rsplit_once(',')?;
    Some((created_at.to_owned(), id.parse().ok()?))
}
