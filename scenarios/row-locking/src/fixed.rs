//! The fixes: a lock taken before the read (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
//! `SELECT ... FOR UPDATE` and its `NOWAIT` form), or no decision on a read at all: a
//! conditional `UPDATE` whose affected-row count decides.

pub mod conditional_update;
pub mod for_update;
pub mod immediate;
pub mod nowait;
