//! The crate's error type.

use std::path::PathBuf;

use tantivy::TantivyError;
use tantivy::directory::error::OpenDirectoryError;

/// Everything that can go wrong while opening, writing or querying the index.
///
/// User input (query text, filters) never produces an error: malformed query
/// syntax is parsed leniently. The variants below describe problems with the
/// index itself or its storage.
#[derive(Debug, thiserror::Error)]
pub enum SearchError {
    /// The index directory could not be created.
    #[error("cannot create search index directory {path}: {source}")]
    CreateDirectory {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },

    /// The index directory exists but tantivy could not open it.
    #[error("cannot open search index directory {path}: {source}")]
    OpenDirectory {
        path: PathBuf,
        #[source]
        source: OpenDirectoryError,
    },

    /// An index exists on disk but was built with another schema (an older
    /// version of this crate). The caller should delete the directory and
    /// reindex from the event log.
    #[error("the search index at {path} was built with a different schema; rebuild it")]
    SchemaMismatch { path: PathBuf },

    /// The commit payload is not an event sequence number. Only this crate
    /// writes payloads, so this means the index was written by something else.
    #[error("the search index commit payload {0:?} is not an event sequence number")]
    InvalidPayload(String),

    /// Any other failure reported by tantivy (I/O, locking, corruption…).
    #[error("search index: {0}")]
    Tantivy(#[from] TantivyError),
}

impl SearchError {
    /// Another writer (in this process or another) holds the index.
    pub fn is_locked(&self) -> bool {
        matches!(self, SearchError::Tantivy(TantivyError::LockFailure(..)))
    }
}

/// Shorthand for results carrying a [`SearchError`].
pub type Result<T, E = SearchError> = std::result::Result<T, E>;
