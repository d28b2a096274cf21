//! Two honest fixes, each with the same API as `broken.rs`: write the other row without
//! sending post_save, or save it only when it really changes.

pub mod direct_update;
pub mod only_on_change;
