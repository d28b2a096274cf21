//! Runs a variant over real loopback HTTP at two table sizes (`lab_kit::stream::story`):
//! each body compared with the table's JSON computed from the generator alone, when the
//! first byte left, how the reader ended and how far the heap rose.

use lab_kit::Report;
use lab_kit::stream::story::Story;

use crate::model::seed::{self, SEED};
use crate::model::{ExportFn, PATH, truth};

/// The two table sizes the report compares. Broken's heap at each sits inside one of
/// the report's power-of-two buckets, well away from its edges (about 2 and 24 MiB): at
/// 10,000 and 100,000 rows it lands within 40 KiB of 4 and 32 MiB, where a change in
/// hyper's buffers would flip the snapshot.
pub const SIZES: [u64; 2] = [5_000, 60_000];

/// The export the report downloads, and what its body must be.
pub const STORY: Story = Story {
    path: PATH,
    media_type: "application/json",
    body_is: "the table as json.dumps writes it",
    table: "shop_order",
    seed: SEED,
    sizes: SIZES,
    build: seed::build,
    expected: truth::expected_checksum,
};

/// Runs `export` at both sizes and judges it: the pitfall shows if the first byte left
/// only after the last row was read, or if the heap grew with the table by at least half
/// the extra JSON bytes. A body that is not the table's JSON is an error, not a verdict.
pub fn run_variant(name: &str, export: ExportFn) -> lab_kit::Result<Report> {
    STORY.run(name, export)
}
