//! Three honest fixes, each with broken.rs's API: the same table-by-table copy inside one
//! read transaction, SQLite's online backup API, or `VACUUM INTO`. Each backup is the
//! database as it was at one moment.

pub mod online_backup;
pub mod read_transaction;
pub mod vacuum_into;
