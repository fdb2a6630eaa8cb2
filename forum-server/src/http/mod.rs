//! Request middleware, outermost first: response caching headers and
//! compression, cross-site refusal, then who is calling and in which
//! language.

pub mod caching;
pub mod csrf;
pub mod identity;
