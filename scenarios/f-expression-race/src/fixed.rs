//! The fix: the database does the arithmetic, and the instance is read back afterwards.

pub mod f_expression;
