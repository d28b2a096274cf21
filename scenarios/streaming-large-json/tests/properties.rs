//! What grades a fix, through broken.rs's API only: the exact JSON of any table (it
//! parses back as the table), sent before the last row is read; a flat heap as the table
//! grows; a reader that stops and lets the database go when the body is dropped. A copy
//! of broken.rs fails every test. This binary installs the counting allocator, so its
//! tests run one at a time.

use std::sync::{Mutex, MutexGuard, PoisonError};

use lab_kit::measure::CountingAlloc;
use proptest::prelude::*;
use streaming_large_json::fixed;
use streaming_large_json::model::Order;
use streaming_large_json::property::{
    self, CASES, OWN_TEXT, heap_stays_flat, stops_when_the_body_is_dropped, streams_the_exact_json,
};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

/// Held for a whole test: the allocator's peak is process-wide, so nothing else may run
/// beside a measured test.
static ALONE: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    ALONE.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Up to four orders of awkward text (a note or none), in front of the generated table.
fn own_rows() -> impl Strategy<Value = Vec<Order>> {
    let order = (
        OWN_TEXT,
        proptest::option::of(OWN_TEXT),
        -100_000_i64..100_000,
        any::<bool>(),
    );
    proptest::collection::vec(order, 0..4).prop_map(property::own_rows)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: CASES, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn fixed_streams_the_exact_json_of_any_table_before_its_last_row_is_read(own in own_rows()) {
        let _alone = alone();
        prop_assert_eq!(streams_the_exact_json(fixed::export, &own), Ok(()));
    }
}

#[test]
fn fixed_keeps_a_flat_heap_as_the_table_grows() {
    let _alone = alone();
    assert_eq!(heap_stays_flat(fixed::export), Ok(()));
}

#[test]
fn fixed_stops_reading_and_lets_the_database_go_when_the_body_is_dropped() {
    let _alone = alone();
    assert_eq!(stops_when_the_body_is_dropped(fixed::export), Ok(()));
}
