//! `lab homework` and `lab grade`: a scenario as a standalone exercise that asks and never
//! answers (neutral names, no pitfall comments, no fixed code), and the grader that runs
//! the lab's own checks against a candidate's fix in a copy of their work.
//!
//! - `names`: the lab's fix names and the neutral ones an export uses (`fix_1`, ...);
//! - `export`: writes the exercise and its manifest;
//! - `starter`: the neutral broken code and the fix starters made from it;
//! - `leaks`: refuses an export that names or explains the answer;
//! - `grade`: grades a copy, never the candidate's files, and scores the fix-dependent
//!   checks; `sandbox` contains what it runs.

mod bwrap;
mod export;
mod grade;
mod leaks;
mod manifest;
mod names;
mod rewrite;
mod runner;
mod sandbox;
mod scorecard;
mod starter;
mod task;

pub use export::export;
pub use grade::{GradeOptions, grade};
pub use leaks::find_answer_leaks;
pub use manifest::{MANIFEST, Manifest, sha256, tree};
pub use names::Names;
pub use sandbox::Sandbox;
pub use scorecard::{Check, Scorecard, parse_test_output};
pub use starter::{neutral_broken, starter_from};
