//! The `lab` CLI as a library: the scenario registry and one module per command, each
//! writing to the output it is given, so the binary stays a thin layer over it and tests
//! can call a command on a small scenario list.

pub mod bench;
pub mod catalogue;
pub mod handout;
pub mod homework;
pub mod markdown;
pub mod registry;
pub mod run;
pub mod scaffold;
pub mod term;
pub mod tour;

use std::path::PathBuf;

pub use registry::{REGISTRY, UnknownScenario, find};

/// The lab's own repository: where the scenarios' sources, hints and rubrics are read
/// from (`lab show --rubric`, `lab hint`, `lab homework`, `lab new`).
pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}
