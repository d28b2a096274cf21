//! The orders: generated from a seed (the Django twin generates the same ones), loaded
//! into `app_order`, and the truth about any page computed from them in Rust alone.

use rusqlite::Connection;

use super::{Count, Order, PER_PAGE, SCHEMA};

/// Customers' first names and surnames: 500 combinations, so a surname matches about
/// one order in 25 and a full name one in 500.
const FIRST: [&str; 20] = [
    "Ada", "Alan", "Grace", "Edsger", "Barbara", "Donald", "Frances", "John", "Margaret",
    "Niklaus", "Radia", "Ken", "Dennis", "Leslie", "Tony", "Hedy", "Sophie", "Linus", "Guido",
    "Karen",
];
const LAST: [&str; 25] = [
    "Lovelace", "Turing", "Hopper", "Dijkstra", "Liskov", "Knuth", "Allen", "Backus", "Hamilton",
    "Wirth", "Perlman", "Thompson", "Ritchie", "Lamport", "Hoare", "Lamarr", "Wilson", "Torvalds",
    "Rossum", "Jones", "Cooper", "Piper", "Nakamura", "Okafor", "Silva",
];

/// The most orders [`Orders::generate`] makes: their dates must stay within March 2024.
pub const MAX_ORDERS: usize = 5_000_000;

/// A table's worth of orders and the seed they came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orders {
    pub seed: u64,
    pub rows: Vec<Order>,
}

/// What a correct page `number` (from 1) of a list shows, from the orders alone.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expected {
    pub ids: Vec<i64>,
    /// The orders that match the search: what the page's count must be true of.
    pub matching: u64,
    /// The orders in the table: what a total, if shown, must be true of.
    pub total: u64,
    pub has_next: bool,
}

impl Orders {
    /// `count` orders with ids 1, 2, ...: a customer, a total and a creation time each,
    /// drawn from a fixed-seed generator. They were placed over `count / 2` seconds, so
    /// about two share each second, and their ids (the order they were imported in) do
    /// not follow their times.
    ///
    /// # Panics
    /// Over [`MAX_ORDERS`] orders.
    pub fn generate(count: usize, seed: u64) -> Self {
        assert!(count <= MAX_ORDERS, "at most {MAX_ORDERS} orders");
        let mut state = seed;
        // A linear congruential generator (Knuth's MMIX constants), top 31 bits: fixed
        // seed, same orders on every run and in the Django twin.
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            state >> 33
        };
        let span = (count as u64 / 2).max(1);
        let rows = (1..=count)
            .map(|id| {
                let first = FIRST[pick(next(), FIRST.len())];
                let last = LAST[pick(next(), LAST.len())];
                let total_cents = 100 + next() % 50_000;
                let second = next() % span;
                Order {
                    id: i64::try_from(id).expect("at most MAX_ORDERS"),
                    reference: format!("ORD-{id:07}"),
                    customer: format!("{first} {last}"),
                    total_cents: i64::try_from(total_cents).expect("under 50100"),
                    created_at: timestamp(second),
                }
            })
            .collect();
        Self { seed, rows }
    }

    /// Creates `app_order` and inserts every order in one transaction.
    pub fn load(&self, conn: &Connection) -> rusqlite::Result<()> {
        conn.execute_batch(SCHEMA)?;
        let tx = conn.unchecked_transaction()?;
        {
            let mut insert = tx.prepare(
                "INSERT INTO app_order (id, reference, customer, total_cents, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)",
            )?;
            for o in &self.rows {
                insert.execute((
                    o.id,
                    &o.reference,
                    &o.customer,
                    o.total_cents,
                    &o.created_at,
                ))?;
            }
        }
        tx.commit()
    }

    /// The orders a search lists, in the admin's order: newest first, and among orders
    /// of the same second the higher id first (Django adds `-pk` to make the order
    /// total).
    pub fn listed(&self, search: &str) -> Vec<&Order> {
        let mut listed: Vec<&Order> = self
            .rows
            .iter()
            .filter(|o| matches(&o.customer, search))
            .collect();
        listed.sort_by(|a, b| (&b.created_at, b.id).cmp(&(&a.created_at, a.id)));
        listed
    }

    /// What page `number` (from 1) of the list for `search` shows.
    pub fn expected(&self, search: &str, number: usize) -> Expected {
        let listed = self.listed(search);
        let start = (number.saturating_sub(1) * PER_PAGE).min(listed.len());
        let end = (start + PER_PAGE).min(listed.len());
        Expected {
            ids: listed[start..end].iter().map(|o| o.id).collect(),
            matching: listed.len() as u64,
            total: self.rows.len() as u64,
            has_next: end < listed.len(),
        }
    }
}

impl Expected {
    /// Whether a page that shows `ids`, states `count` (and `total`, if any) and has a
    /// next link or not shows this; the error says the first difference.
    pub fn check(
        &self,
        ids: &[i64],
        count: Count,
        total: Option<Count>,
        has_next: bool,
    ) -> Result<(), String> {
        if ids != self.ids {
            let show = |ids: &[i64]| match (ids.first(), ids.last()) {
                (Some(a), Some(b)) => format!("{} orders (#{a} .. #{b})", ids.len()),
                _ => "no orders".to_owned(),
            };
            return Err(format!(
                "shows {}, the list has {}",
                show(ids),
                show(&self.ids)
            ));
        }
        if !count.is_true_of(self.matching) {
            return Err(format!("says \"{count}\" of {} matching", self.matching));
        }
        if let Some(total) = total.filter(|t| !t.is_true_of(self.total)) {
            return Err(format!("says \"{total}\" in total of {}", self.total));
        }
        if has_next != self.has_next {
            let (has, should) = if has_next {
                ("has", " not")
            } else {
                ("has no", "")
            };
            return Err(format!("{has} a next link where it should{should}"));
        }
        Ok(())
    }
}

/// Django's admin search on SQLite: each word of the search (split on whitespace) must
/// occur in the field, ignoring ASCII case (`icontains`, SQLite's `LIKE`). (Django also
/// keeps a quoted phrase together; the lab's searches have no quotes.)
pub fn matches(field: &str, search: &str) -> bool {
    let field = field.to_ascii_lowercase();
    search
        .split_whitespace()
        .all(|word| field.contains(&word.to_ascii_lowercase()))
}

fn pick(n: u64, len: usize) -> usize {
    usize::try_from(n).expect("31 bits fit") % len
}

/// `second` seconds after 2024-03-01 00:00:00, as `YYYY-MM-DD HH:MM:SS` (within March).
fn timestamp(second: u64) -> String {
    let (day, rest) = (second / 86_400, second % 86_400);
    format!(
        "2024-03-{:02} {:02}:{:02}:{:02}",
        day + 1,
        rest / 3600,
        rest / 60 % 60,
        rest % 60
    )
}
