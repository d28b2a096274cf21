//! The fixes, one module each, every one with broken.rs's public items.

pub mod lax_cookie;
pub mod masked_secret;
pub mod origin_match;
