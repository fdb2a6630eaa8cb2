//! Request middleware, outermost first: cross-site refusal, then who is
//! calling and in which language.

pub mod csrf;
pub mod identity;
