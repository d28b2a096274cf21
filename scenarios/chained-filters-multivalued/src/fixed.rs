//! Two honest fixes, each with the same API as `broken.rs`: both conditions in one
//! `filter()` call on one join, or a correlated subquery per blog.

pub mod exists_subquery;
pub mod one_filter;
