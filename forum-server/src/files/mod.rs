//! Attachments' bytes: where they are kept ([`store`]), what they are
//! ([`detect`]), whether they carry malware ([`scan`]), the text inside
//! them ([`extract`]), and the upload path that ties these together
//! ([`upload`]).

pub mod detect;
pub mod extract;
pub mod scan;
pub mod store;
pub mod upload;

pub use store::{DirStore, FileStore};
