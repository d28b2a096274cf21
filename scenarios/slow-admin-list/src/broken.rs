//! The pitfall: Django's admin change list as it comes - an exact count of the matches
//! and another of the whole table, `ORDER BY` a column nothing indexes, pages reached
//! with `OFFSET`, and a search of `LIKE '%word%'` - on a table of a million orders.

use rusqlite::types::Value;
use rusqlite::{Connection, params_from_iter};

use crate::model::{COLUMNS, Count, Order, PER_PAGE, Page, PageRequest};

/// The migration that ships with the admin: `customer = CharField(max_length=100,
/// db_index=True)`, an index for the search box (the SQL is Django's, name included).
pub fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    // PITFALL: the index is on the searched column, where `LIKE '%word%'` cannot use it,
    // and none is on `created_at`, the column every page is sorted by: each page reads
    // the whole table and sorts it in a temporary B-tree to keep 100 rows.
    conn.execute_batch("CREATE INDEX app_order_customer_24496ad5 ON app_order (customer);")
}

/// `/admin/app/order/?q=...&p=...` as `ModelAdmin(ordering=("-created_at",),
/// search_fields=("customer",))` serves it, statement for statement (the Django twin
/// checks the SQL): the paginator's count, the full count shown beside a search, then
/// the page.
pub fn change_list(conn: &Connection, request: &PageRequest) -> rusqlite::Result<Page> {
    let search = request.get("q").unwrap_or_default();
    let (filter, params) = icontains(search);
    // PITFALL: an exact COUNT(*) visits every matching row (SQLite stores no row count),
    // and `show_full_result_count` counts the whole table once more, on every page.
    let count = count_rows(
        conn,
        &format!("SELECT COUNT(*) AS __count FROM app_order{filter}"),
        &params,
    )?;
    let total = count_rows(conn, "SELECT COUNT(*) AS __count FROM app_order", &[])?;

    let page = request
        .get("p")
        .and_then(|p| p.parse::<u64>().ok())
        .filter(|&p| p >= 1)
        .unwrap_or(1);
    let per_page = PER_PAGE as u64;
    let bottom = (page - 1) * per_page;
    // Django's Paginator: the last page stops at the count; a list that fits on one page
    // is fetched whole, without LIMIT.
    let top = (bottom + per_page).min(count).max(bottom);
    let slice = if count <= per_page {
        String::new()
    } else if bottom == 0 {
        format!(" LIMIT {top}")
    } else {
        // PITFALL: OFFSET does not skip rows, it produces them and throws them away: page
        // 5000 makes SQLite build 499,900 rows before the 100 it shows.
        format!(" LIMIT {} OFFSET {bottom}", top - bottom)
    };
    let sql = format!(
        "SELECT {COLUMNS} FROM app_order{filter} \
         ORDER BY app_order.created_at DESC, app_order.id DESC{slice}"
    );
    let mut statement = conn.prepare(&sql)?;
    let orders = statement
        .query_map(params_from_iter(&params), Order::from_row)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    let next = (top < count).then(|| request.with("p", (page + 1).to_string()));
    Ok(Page {
        orders,
        count: Count::Exact(count),
        total: Some(Count::Exact(total)),
        next,
    })
}

/// `search_fields = ("customer",)`: every word must occur in `customer`, ignoring case
/// (`customer__icontains`), with `%`, `_` and `\` in a word matched literally. The
/// WHERE clause and its parameters; empty for an empty search.
fn icontains(search: &str) -> (String, Vec<Value>) {
    let words: Vec<&str> = search.split_whitespace().collect();
    // PITFALL: a pattern that starts with `%` can match anywhere in the value, so no
    // index can narrow it down (the one on `customer` can at best be read end to end):
    // every search reads every row.
    let like = "app_order.customer LIKE ? ESCAPE '\\'";
    let filter = match words.len() {
        0 => String::new(),
        1 => format!(" WHERE {like}"),
        n => format!(" WHERE ({})", vec![like; n].join(" AND ")),
    };
    let params = words
        .iter()
        .map(|w| {
            let escaped = w
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            Value::Text(format!("%{escaped}%"))
        })
        .collect();
    (filter, params)
}

fn count_rows(conn: &Connection, sql: &str, params: &[Value]) -> rusqlite::Result<u64> {
    let n: i64 = conn.query_row(sql, params_from_iter(params), |row| row.get(0))?;
    Ok(n.unsigned_abs())
}
