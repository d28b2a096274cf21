//! The fixes: the ORM's cascade through a `GenericRelation` on each target, and real
//! foreign keys - one per target type - with a check that exactly one is set.

pub mod generic_relation;
pub mod one_key_per_type;
