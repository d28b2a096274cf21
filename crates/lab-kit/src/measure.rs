//! Measurement helpers for performance scenarios: a counting global allocator (current
//! and peak heap bytes), coarse size buckets that stay stable in snapshots, and
//! throughput figures for `lab bench` tables.
//!
//! The counters are process-wide: a binary that wants them installs [`CountingAlloc`] with
//! `#[global_allocator]` (the `lab` binary does). Everything that allocates while a
//! measurement runs is counted, so measure one code path at a time: in a test binary,
//! serialise the measuring tests; other tests running beside them would add their heap.

use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

static CURRENT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

/// The system allocator, plus two counters: bytes currently allocated and the highest
/// value that number reached since the last [`reset_peak`].
///
/// ```ignore
/// #[global_allocator]
/// static ALLOC: lab_kit::measure::CountingAlloc = lab_kit::measure::CountingAlloc;
/// ```
#[derive(Debug, Clone, Copy, Default)]
pub struct CountingAlloc;

fn grew(size: usize) {
    let now = CURRENT.fetch_add(size, Ordering::Relaxed) + size;
    PEAK.fetch_max(now, Ordering::Relaxed);
}

fn shrank(size: usize) {
    CURRENT.fetch_sub(size, Ordering::Relaxed);
}

// The only unsafe code of the lab: a global allocator must implement an unsafe trait. Every
// method forwards to `System` with the caller's own arguments, so the caller's contract is
// exactly the one `System` needs; the counters are plain atomics.
#[expect(
    unsafe_code,
    reason = "GlobalAlloc is an unsafe trait; each method only forwards to System"
)]
unsafe impl GlobalAlloc for CountingAlloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same layout, same contract as the caller's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same layout, same contract as the caller's.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from this allocator, i.e. from `System`, with `layout`.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: `ptr` came from `System` with `layout`; the caller upholds the rest.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

/// Heap bytes allocated right now (0 if [`CountingAlloc`] is not installed).
pub fn current() -> usize {
    CURRENT.load(Ordering::Relaxed)
}

/// The most heap bytes allocated at once since the last [`reset_peak`].
pub fn peak() -> usize {
    PEAK.load(Ordering::Relaxed)
}

/// Starts a new peak window at the current heap size, and returns that size: the baseline
/// to subtract from [`peak`] afterwards.
pub fn reset_peak() -> usize {
    let now = current();
    PEAK.store(now, Ordering::Relaxed);
    now
}

/// Whether this binary installed [`CountingAlloc`]: it did if allocating a box moves the
/// counter. Without it every figure is zero, and a report must say "not measured" rather
/// than "flat".
pub fn installed() -> bool {
    let probe = std::hint::black_box(Box::new([0_u8; 64]));
    let counted = current() > 0;
    drop(probe);
    counted
}

/// The heap growth of a code path: peak minus the heap in use when it started.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PeakWindow {
    baseline: usize,
}

impl PeakWindow {
    /// Opens a window at the current heap size (resets the process-wide peak).
    pub fn start() -> Self {
        Self {
            baseline: reset_peak(),
        }
    }

    /// How far the heap rose above the baseline since [`PeakWindow::start`].
    pub fn growth(&self) -> usize {
        peak().saturating_sub(self.baseline)
    }
}

/// A byte count rounded to a power-of-two bucket, so that noise of a few hundred KiB does
/// not change a snapshot: `< 4 MiB`, `4-8 MiB`, `8-16 MiB`, ...
pub fn bucket(bytes: usize) -> String {
    match bucket_ceiling_mib(bytes) {
        4 => "< 4 MiB".to_owned(),
        high => format!("{}-{high} MiB", high / 2),
    }
}

/// The upper bound of [`bucket`]'s bucket in MiB (4 for `< 4 MiB`), for charts.
pub fn bucket_ceiling_mib(bytes: usize) -> usize {
    const MIB: usize = 1 << 20;
    let mut high = 4;
    while bytes >= high * MIB {
        high *= 2;
    }
    high
}

/// `bytes` as MiB with one decimal.
pub fn mib(bytes: usize) -> String {
    let value = bytes as f64 / (1 << 20) as f64;
    format!("{value:.1} MiB")
}

/// Throughput in MB/s (10^6 bytes per second), as benchmark tables print it.
pub fn mb_per_s(bytes: u64, elapsed: Duration) -> f64 {
    let megabytes = bytes as f64 / 1e6;
    megabytes / elapsed.as_secs_f64().max(f64::MIN_POSITIVE)
}

/// A duration in milliseconds with one decimal: `12.3 ms`.
pub fn ms(elapsed: Duration) -> String {
    format!("{:.1} ms", elapsed.as_secs_f64() * 1000.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn buckets_are_powers_of_two() {
        assert_eq!(bucket(0), "< 4 MiB");
        assert_eq!(bucket((4 << 20) - 1), "< 4 MiB");
        assert_eq!(bucket(4 << 20), "4-8 MiB");
        assert_eq!(bucket(20 << 20), "16-32 MiB");
        assert_eq!(bucket(600 << 20), "512-1024 MiB");
    }

    #[test]
    fn unit_tests_run_without_the_counting_allocator() {
        // lab-kit's own test binary does not install it, so nothing is counted.
        assert!(!installed());
        assert_eq!(PeakWindow::start().growth(), 0);
    }
}
