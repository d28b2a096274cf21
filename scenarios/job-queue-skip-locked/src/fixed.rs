//! The fixes: a pick that locks the job and passes over jobs other workers hold
//! (PostgreSQL's `FOR UPDATE SKIP LOCKED`), or no separate pick at all: one conditional
//! `UPDATE ... RETURNING` that finds and claims the job in the same statement.

pub mod claim_update;
pub mod skip_locked;
