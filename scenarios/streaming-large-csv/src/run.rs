//! Runs a variant over real loopback HTTP at two table sizes (`lab_kit::stream::story`):
//! each body compared with the table's CSV computed from the generator alone, when the
//! first byte left, how the reader ended and how far the heap rose.

use lab_kit::Report;
use lab_kit::stream::story::Story;

use crate::model::seed::{self, SEED};
use crate::model::{ExportFn, PATH, truth};

/// The two table sizes the report compares.
pub const SIZES: [u64; 2] = [10_000, 100_000];

/// The export the report downloads, and what its body must be.
pub const STORY: Story = Story {
    path: PATH,
    media_type: "text/csv",
    body_is: "the CSV of the table",
    table: "shop_customer",
    seed: SEED,
    sizes: SIZES,
    build: seed::build,
    expected: truth::expected_checksum,
};

/// Runs `export` at both sizes and judges it: the pitfall shows if the first byte left
/// only after the last row was read, or if the heap grew with the table by at least half
/// the extra CSV bytes. A body that is not the table's CSV is an error, not a verdict.
pub fn run_variant(name: &str, export: ExportFn) -> lab_kit::Result<Report> {
    STORY.run(name, export)
}
