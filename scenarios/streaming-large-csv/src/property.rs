//! What every correct export does, as checks over any [`ExportFn`], without a network
//! (`lab_kit::stream::check` calls the view as the app does): it sends the table's exact
//! CSV and starts before the last row is read, its heap stays flat as the table grows,
//! and its reader stops and lets go of the database when the body is dropped. Each
//! returns why it failed.

use lab_kit::stream::check;

use crate::model::seed::{self, Customer, Generator, SEED};
use crate::model::{ExportFn, truth};

/// Generated rows after a check's own rows: about 1.6 MB of CSV, far more than a
/// correct export gathers before its first byte.
pub const FILLER_ROWS: u64 = 20_000;
/// The table sizes the heap check compares.
pub const HEAP_SIZES: [u64; 2] = [10_000, 100_000];
/// The table whose body is dropped after one chunk: about 8 MB of CSV.
pub const DROPPED_ROWS: u64 = 100_000;
/// Cases per property run: each one builds and exports a table of some 20,000 rows.
pub const CASES: u32 = 16;
/// What the rows in front of the generated table are made of (a proptest regex):
/// separators, quotes, line breaks, tabs and non-ASCII letters.
pub const OWN_TEXT: &str = "[a-zé ,;\"'\n\r\t]{0,6}";

/// The export of `own` rows (ids 1, 2, ...) followed by [`FILLER_ROWS`] generated ones is
/// byte for byte the table's CSV (`truth::write_expected`), and its first byte leaves the
/// view before the last row is read.
pub fn streams_the_exact_csv(export: ExportFn, own: &[Customer]) -> Result<(), String> {
    let filler = Generator::new(SEED).take(usize::try_from(FILLER_ROWS).expect("fits"));
    let table: Vec<Customer> = own
        .iter()
        .cloned()
        .chain(filler)
        .zip(1..)
        .map(|(customer, id)| Customer { id, ..customer })
        .collect();
    let rows = table.len() as u64;
    let db = seed::database(table.clone()).map_err(|e| lab_kit::error_chain(&e))?;
    let expected = truth::write_expected(table, Vec::new()).map_err(|e| e.to_string())?;
    check::sends_exactly(export, &db, rows, &expected).map(drop)
}

/// Customers from generated `(name, email, amount in cents)`, for
/// [`streams_the_exact_csv`] (which numbers them).
pub fn own_rows(rows: Vec<(String, String, i64)>) -> Vec<Customer> {
    rows.into_iter()
        .map(|(name, email, amount_cents)| Customer {
            id: 0,
            name,
            email,
            amount_cents,
            created_at: "2024-02-29T12:00:00Z".to_owned(),
        })
        .collect()
}

/// Downloading [`HEAP_SIZES`] rows in turn, with a client that keeps nothing, the peak
/// heap of the larger grows by less than half the extra CSV bytes. Needs the counting
/// allocator installed, and nothing else allocating in the process meanwhile.
pub fn heap_stays_flat(export: ExportFn) -> Result<(), String> {
    let [small, large] = HEAP_SIZES;
    let build = |rows| seed::build(rows, SEED).map_err(|e| lab_kit::error_chain(&e));
    let (small_db, large_db) = (build(small)?, build(large)?);
    check::heap_stays_flat(export, [(small, &small_db), (large, &large_db)])
}

/// A client that takes one chunk of a [`DROPPED_ROWS`]-row download and leaves: while it
/// reads, the reader's cursor holds the database (a writer's `BEGIN EXCLUSIVE` is
/// refused); once the body is dropped, the reader stops early and lets the database go.
pub fn stops_when_the_body_is_dropped(export: ExportFn) -> Result<(), String> {
    let db = seed::build(DROPPED_ROWS, SEED).map_err(|e| lab_kit::error_chain(&e))?;
    check::stops_when_the_body_is_dropped(export, &db)
}
