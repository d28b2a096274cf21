//! `lab bench slow-admin-list`: pages 1, 100, 5000 and 10000 of a million orders, and a
//! search, timed for the broken admin, the broken admin on the fix's indexes (`OFFSET`
//! kept) and the fix - all in one run, beside the rows SQLite scanned for each.

use std::time::{Duration, Instant};

use lab_kit::measure::ms;
use lab_kit::{BenchOptions, Table};
use rusqlite::Connection;

use crate::model::{Admin, MAX_ORDERS, Orders, PER_PAGE, PageRequest, STORY_SEED};
use crate::probe::{Probe, Statement};
use crate::{broken, fixed};

/// Orders unless `--rows` says otherwise: 10,000 pages.
const DEFAULT_ORDERS: u64 = 1_000_000;
/// The pages timed (1 is the first, 10,000 the last of a million orders).
const PAGES: [usize; 4] = [1, 100, 5_000, 10_000];
/// The search timed: a full name, one order in 500.
const SEARCH: &str = "Grace Hopper";

const BROKEN: Admin = Admin {
    migrate: broken::migrate,
    change_list: broken::change_list,
};
const FIXED: Admin = Admin {
    migrate: fixed::migrate,
    change_list: fixed::change_list,
};

/// One page measured for one form: its median time and the rows SQLite scanned.
#[derive(Debug, Clone)]
struct Cell {
    time: Duration,
    rows: u64,
    plan: String,
}

/// Loads the orders, times every page in each form, and prints the ratios of this run.
pub fn run(options: &BenchOptions) -> lab_kit::Result<(Table, Vec<String>)> {
    let orders = usize::try_from(options.rows.unwrap_or(DEFAULT_ORDERS))
        .ok()
        .filter(|n| (10_000..=MAX_ORDERS).contains(n))
        .ok_or_else(|| lab_kit::Error::Invalid("--rows (orders) must be 10000..=5000000".into()))?;
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let orders = Orders::generate(orders, STORY_SEED);
    let mut conn = Connection::open_in_memory()?;
    orders.load(&conn)?;
    let mut pages: Vec<(String, PageRequest)> = PAGES
        .iter()
        .filter(|&&p| p == 1 || (p - 1) * PER_PAGE < orders.rows.len())
        .map(|p| {
            (
                format!("page {p}"),
                PageRequest::default().with("p", p.to_string()),
            )
        })
        .collect();
    pages.push((format!("q={SEARCH}"), PageRequest::search(SEARCH)));

    (BROKEN.migrate)(&conn)?;
    let before: Vec<Cell> = measure_all(&mut conn, BROKEN, &pages)?;
    let started = Instant::now();
    (FIXED.migrate)(&conn)?;
    let migration = started.elapsed();
    let offset: Vec<Cell> = measure_all(&mut conn, BROKEN, &pages)?;
    // The fix's pages are reached the only way its links allow: next, next, next...
    let fixed_pages = follow_next(&conn, &pages)?;
    let after: Vec<Cell> = measure_all(&mut conn, FIXED, &fixed_pages)?;

    // `index+OFFSET` is the broken change list run after the fix's migration: the sort
    // is gone, the exact counts and the OFFSET are not.
    let mut table = Table::new([
        "page",
        "broken",
        "index+OFFSET",
        "fixed",
        "broken/fixed",
        "OFFSET/fixed",
        "rows scanned: broken, index+OFFSET, fixed",
    ]);
    for (i, (label, _)) in pages.iter().enumerate() {
        let (b, o, f) = (&before[i], &offset[i], &after[i]);
        table.row([
            label.clone(),
            ms(b.time),
            ms(o.time),
            format!("{:.3} ms", f.time.as_secs_f64() * 1e3),
            ratio(b.time, f.time),
            ratio(o.time, f.time),
            format!("{}, {}, {}", b.rows, o.rows, f.rows),
        ]);
    }
    let deep = pages
        .iter()
        .position(|(l, _)| l == "page 5000")
        .unwrap_or(pages.len() - 2);
    let last = pages.len() - 2;
    let notes = vec![
        format!(
            "{} orders (seed {STORY_SEED}), in-memory SQLite, one connection, this process; \
             median of several runs per cell; load average at the start: {}",
            orders.rows.len(),
            load.split_whitespace()
                .take(3)
                .collect::<Vec<_>>()
                .join(" ")
        ),
        format!(
            "the fix's migration (index + full-text index) took {}",
            ms(migration)
        ),
        format!(
            "{}: fixed is {} faster than broken and {} faster than OFFSET on the same index \
             (at least 50x required: {})",
            pages[deep].0,
            ratio(before[deep].time, after[deep].time),
            ratio(offset[deep].time, after[deep].time),
            if offset[deep].time.as_secs_f64() >= 50.0 * after[deep].time.as_secs_f64() {
                "met"
            } else {
                "NOT met"
            }
        ),
        format!(
            "fixed, {} / page 1: {} in time, {} vs {} rows scanned (flat: a page costs the same \
             however deep)",
            pages[last].0,
            ratio(after[last].time, after[0].time),
            after[last].rows,
            after[0].rows
        ),
        format!("plan of {}, broken: {}", pages[deep].0, before[deep].plan),
        format!(
            "plan of {}, index+OFFSET: {}",
            pages[deep].0, offset[deep].plan
        ),
        format!("plan of {}, fixed: {}", pages[deep].0, after[deep].plan),
    ];
    Ok((table, notes))
}

/// Each page's median time (no probe attached), then one run under the probe.
fn measure_all(
    conn: &mut Connection,
    admin: Admin,
    pages: &[(String, PageRequest)],
) -> lab_kit::Result<Vec<Cell>> {
    let mut cells = Vec::with_capacity(pages.len());
    for (_, request) in pages {
        let mut times = Vec::new();
        let mut spent = Duration::ZERO;
        // Slow pages three times, fast ones until a quarter second is spent (at most 101).
        while times.len() < 3 || (spent < Duration::from_millis(250) && times.len() < 101) {
            let started = Instant::now();
            (admin.change_list)(conn, request)?;
            let took = started.elapsed();
            spent += took;
            times.push(took);
        }
        times.sort_unstable();
        let probe = Probe::attach(conn)?;
        (admin.change_list)(conn, request)?;
        let statements = probe.take(conn)?;
        Probe::detach(conn)?;
        let page_query = statements.last();
        cells.push(Cell {
            time: times[times.len() / 2],
            rows: statements.iter().map(Statement::rows_scanned).sum(),
            plan: page_query.map(|s| s.plan.join(" / ")).unwrap_or_default(),
        });
    }
    Ok(cells)
}

/// The fix's request for each of `pages`, found by following its next links from page 1
/// (a search keeps its own first page).
fn follow_next(
    conn: &Connection,
    pages: &[(String, PageRequest)],
) -> lab_kit::Result<Vec<(String, PageRequest)>> {
    let wanted: Vec<usize> = pages
        .iter()
        .filter_map(|(l, _)| l.strip_prefix("page ")?.parse().ok())
        .collect();
    let mut found = Vec::new();
    let mut request = PageRequest::default();
    for number in 1..=wanted.iter().copied().max().unwrap_or(1) {
        if wanted.contains(&number) {
            found.push((format!("page {number}"), request.clone()));
        }
        match (FIXED.change_list)(conn, &request)?.next {
            Some(next) => request = next,
            None => break,
        }
    }
    found.extend(
        pages
            .iter()
            .filter(|(l, _)| !l.starts_with("page "))
            .cloned(),
    );
    Ok(found)
}

fn ratio(slow: Duration, fast: Duration) -> String {
    format!("{:.1}x", slow.as_secs_f64() / fast.as_secs_f64().max(1e-9))
}
