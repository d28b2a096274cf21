//! Two honest fixes, each with the same API as `broken.rs`: count each followee and
//! follower once, or count each relation in its own subquery.

pub mod distinct;
pub mod subquery;
