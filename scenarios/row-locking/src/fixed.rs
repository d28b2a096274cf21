//! The fixes: a lock taken before the read (SQLite's `BEGIN IMMEDIATE`, PostgreSQL's
//! `SELECT ... FOR UPDATE` and its `NOWAIT` / `SKIP LOCKED` forms), or no read at all:
//! a conditional `UPDATE` whose affected-row count decides.

pub mod conditional;
pub mod immediate;
pub mod locking;
pub mod queue;
