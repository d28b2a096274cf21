//! The counting allocator, installed in this test binary (one test: the counters are
//! process-wide, so nothing else may allocate beside it).

use std::hint::black_box;

use lab_kit::measure::{self, CountingAlloc, PeakWindow};

#[global_allocator]
static ALLOC: CountingAlloc = CountingAlloc;

#[test]
fn a_peak_window_sees_an_allocation_that_is_already_freed() {
    assert!(measure::installed());
    let window = PeakWindow::start();
    let before = measure::current();
    let big = black_box(vec![1_u8; 8 << 20]);
    assert!(measure::current() >= before + (8 << 20));
    drop(big);
    assert!(
        measure::current() < before + (1 << 20),
        "freed bytes are subtracted"
    );
    let growth = window.growth();
    assert!((8 << 20..9 << 20).contains(&growth), "{growth}");
    assert_eq!(measure::bucket(growth), "8-16 MiB");

    // A new window starts from the heap as it is now.
    assert!(PeakWindow::start().growth() < 1 << 20);
}
