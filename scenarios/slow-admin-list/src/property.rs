//! The property every correct change list satisfies, runnable against any [`Admin`]: on
//! any orders, walking a list page by page with its next links - every order, or a
//! search's results - each page shows the right orders, states a true count, and makes
//! SQLite scan no more rows than a page needs.

use serde::Serialize;

use crate::model::{Admin, Orders, PER_PAGE, PageRequest, ROW_BUDGET};
use crate::probe::{Probe, Statement};

/// The most orders a generated table has: 25 pages, and far more rows than a page may
/// scan.
pub const MAX_ORDERS: usize = 2_500;
/// How many tables a property run draws: each is loaded, migrated and walked to its end.
pub const CASES: u32 = 32;

/// One generated table, and the search typed over it, if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Case {
    pub orders: usize,
    pub seed: u64,
    pub search: Option<Pick>,
}

/// A search typed by someone who remembers part of a customer's name: a piece of at
/// least three letters of one word of the customer of order `order` (modulo the table),
/// with the letters whose bit is set in `upper` in capitals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pick {
    pub order: usize,
    pub word: usize,
    pub start: usize,
    pub len: usize,
    pub upper: u8,
}

impl Case {
    /// The search this case types over `orders` (empty without one).
    pub fn search_term(&self, orders: &Orders) -> String {
        let Some(pick) = self.search.as_ref().filter(|_| !orders.rows.is_empty()) else {
            return String::new();
        };
        let customer = &orders.rows[pick.order % orders.rows.len()].customer;
        let words: Vec<&str> = customer.split_whitespace().collect();
        let word: Vec<char> = words[pick.word % words.len()].chars().collect();
        // Every name has three letters or more.
        let len = pick.len.clamp(3, word.len().max(3)).min(word.len());
        let start = pick.start % (word.len() - len + 1);
        word[start..start + len]
            .iter()
            .enumerate()
            .map(|(i, c)| {
                if pick.upper >> (i % 8) & 1 == 1 {
                    c.to_ascii_uppercase()
                } else {
                    c.to_ascii_lowercase()
                }
            })
            .collect()
    }
}

/// The property: on the case's orders, after `admin`'s migration, every page of the list
/// (of the search's results, if any) shows what the truth says, and scans at most
/// [`ROW_BUDGET`] rows. The error names the first page that does not.
pub fn pages_hold(admin: Admin, case: &Case) -> Result<(), String> {
    let orders = Orders::generate(case.orders, case.seed);
    let search = case.search_term(&orders);
    let searched = if search.is_empty() {
        "no search".to_owned()
    } else {
        format!("search {search:?}")
    };
    walk(admin, &orders, &search).map_err(|e| format!("{} orders, {searched}: {e}", case.orders))
}

fn walk(admin: Admin, orders: &Orders, search: &str) -> Result<(), String> {
    let fail = |e: rusqlite::Error| format!("the run failed: {e}");
    let mut conn = lab_kit::sqlite::memory().map_err(fail)?;
    orders.load(&conn).map_err(fail)?;
    (admin.migrate)(&conn).map_err(fail)?;
    let probe = Probe::attach(&mut conn).map_err(fail)?;
    let mut request = PageRequest::search(search);
    for number in 1..=orders.rows.len() / PER_PAGE + 1 {
        let page = (admin.change_list)(&conn, &request).map_err(fail)?;
        let statements = probe.take(&conn).map_err(fail)?;
        let ids: Vec<i64> = page.orders.iter().map(|o| o.id).collect();
        orders
            .expected(search, number)
            .check(&ids, page.count, page.total, page.next.is_some())
            .map_err(|why| format!("page {number} {why}"))?;
        let rows: u64 = statements.iter().map(Statement::rows_scanned).sum();
        if rows > ROW_BUDGET {
            let what: Vec<String> = statements.iter().map(describe).collect();
            return Err(format!(
                "page {number} scanned {rows} rows to show {} (a page needs {ROW_BUDGET}): {}",
                ids.len(),
                what.join("; ")
            ));
        }
        match page.next {
            Some(next) => request = next,
            None => return Ok(()),
        }
    }
    Err("the next links never end".to_owned())
}

/// `<sql> scanned N (<plan>)`.
fn describe(s: &Statement) -> String {
    format!(
        "{} scanned {} ({})",
        s.sql,
        s.rows_scanned(),
        s.plan.join(" / ")
    )
}
