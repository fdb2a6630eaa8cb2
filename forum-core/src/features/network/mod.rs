//! The expert network: the directory of what members know, questions
//! routed to the members who know it, and where analyses exist
//! (coverage). Who appears to whom is [`crate::access::can_see_in_directory`].

mod coverage;
mod directory;
mod questions;

pub use coverage::*;
pub use directory::*;
pub use questions::*;
