//! Errors of the domain layer.
//!
//! Every failure in `forum-core` is a [`CoreError`]; each says its
//! [`ErrorKind`], and the server maps the kind onto an HTTP status and the
//! `API.md` error body. A [`CoreError`] carries a stable snake_case `code`
//! for clients and, for invalid input, the name of the offending field.
//! Internal causes (database, hashing) are kept for the log and never shown
//! to users.

/// The small set of failure kinds every layer maps onto.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    Invalid,
    Unauthenticated,
    Forbidden,
    NotFound,
    Conflict,
    Locked,
    TooLarge,
    RateLimited,
    Unavailable,
    Internal,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A field failed validation; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: &'static str,
        message: String,
    },
    #[error("{message}")]
    Unauthenticated { code: &'static str, message: String },
    #[error("{message}")]
    Forbidden { code: &'static str, message: String },
    /// Unknown, or not visible to the caller: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: &'static str, message: String },
    #[error("{message}")]
    Locked { message: String },
    /// Too soon: wait before trying again (slow mode).
    #[error("{message}")]
    RateLimited { code: &'static str, message: String },
    #[error("database error")]
    Database(#[from] diesel::result::Error),
    #[error("connection pool error")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl CoreError {
    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::Invalid { .. } => ErrorKind::Invalid,
            CoreError::Unauthenticated { .. } => ErrorKind::Unauthenticated,
            CoreError::Forbidden { .. } => ErrorKind::Forbidden,
            CoreError::NotFound => ErrorKind::NotFound,
            CoreError::Conflict { .. } => ErrorKind::Conflict,
            CoreError::Locked { .. } => ErrorKind::Locked,
            CoreError::RateLimited { .. } => ErrorKind::RateLimited,
            CoreError::Database(diesel::result::Error::NotFound) => ErrorKind::NotFound,
            CoreError::Pool(_) => ErrorKind::Unavailable,
            CoreError::Database(_) | CoreError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Stable machine-readable code, as in `API.md`.
    pub fn code(&self) -> &'static str {
        match self {
            CoreError::Invalid { code, .. }
            | CoreError::Unauthenticated { code, .. }
            | CoreError::Forbidden { code, .. }
            | CoreError::Conflict { code, .. }
            | CoreError::RateLimited { code, .. } => code,
            CoreError::NotFound | CoreError::Database(diesel::result::Error::NotFound) => {
                "not_found"
            }
            CoreError::Locked { .. } => "thread_locked",
            CoreError::Pool(_) => "unavailable",
            CoreError::Database(_) | CoreError::Internal(_) => "internal",
        }
    }

    /// The field an `Invalid` error is about.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CoreError::Invalid { field, .. } => Some(field),
            _ => None,
        }
    }

    /// A message fit for the user; internal errors say nothing internal.
    pub fn public_message(&self) -> String {
        match self.kind() {
            ErrorKind::Internal => "internal error".to_owned(),
            ErrorKind::Unavailable => "service temporarily unavailable".to_owned(),
            ErrorKind::NotFound => "not found".to_owned(),
            _ => self.to_string(),
        }
    }

    pub fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        CoreError::Invalid {
            field,
            code: "invalid_field",
            message: message.into(),
        }
    }

    pub fn forbidden(code: &'static str, message: impl Into<String>) -> Self {
        CoreError::Forbidden {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: &'static str, message: impl Into<String>) -> Self {
        CoreError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unauthenticated(code: &'static str, message: impl Into<String>) -> Self {
        CoreError::Unauthenticated {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
