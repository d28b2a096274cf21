//! Two honest fixes, each with the same API as `broken.rs`: count distinct edges, or count
//! each relation in its own subquery.

pub mod distinct;
pub mod subquery;
