//! The expert network: the directory of what members know, questions
//! routed to the members who know it, advice requests to the legal
//! office, colloquia, dialogue publications, and where analyses exist
//! (coverage). Who appears to whom is [`crate::access::can_see_in_directory`].

mod advice;
mod colloquia;
mod coverage;
mod dialogues;
mod directory;
mod questions;

pub use advice::*;
pub use colloquia::*;
pub use coverage::*;
pub use dialogues::*;
pub use directory::*;
pub use questions::*;
