//! Two fixes, each a module with the same API as `broken.rs`: resolve the fork with a
//! merge migration, or let CI refuse the branch.

pub mod ci_guard;
pub mod merge_migration;
