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

/// Every stable error code a client can receive, as listed (with its
/// status) in `docs/api.md`: a test fails when one is missing there or
/// used nowhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorCode {
    /// A field or parameter failed validation.
    InvalidField,
    /// A new password is too short or too guessable.
    WeakPassword,
    /// The current password given to change a setting is wrong.
    WrongPassword,
    /// No such invitation token.
    InvitationInvalid,
    /// The invitation was already used.
    InvitationUsed,
    /// The invitation expired.
    InvitationExpired,
    /// A password-reset link is unknown, spent or expired.
    ResetLinkInvalid,
    /// The change would leave the forum without an admin.
    LastAdmin,
    /// The body or query string does not parse.
    MalformedRequest,
    /// A websocket request or frame is malformed.
    BadRequest,
    /// A websocket subscription names no known topic.
    UnknownTopic,
    /// A websocket follows as many topics as it may.
    TooManyTopics,
    /// No valid session or token.
    Unauthenticated,
    /// Unknown user or wrong password.
    InvalidCredentials,
    /// The refresh token is unknown, expired or reused.
    InvalidRefreshToken,
    /// The refresh token was used a moment ago (a parallel request of the
    /// same browser, whose cookies must be left alone).
    RefreshTokenJustUsed,
    /// The account has a second factor: a code is needed.
    TotpRequired,
    /// A second-factor or recovery code is wrong.
    InvalidTotp,
    /// The caller may not do this.
    Forbidden,
    /// For moderators and admins.
    ModeratorsOnly,
    /// Only the author (or staff) may change this.
    NotAuthor,
    /// The account is suspended.
    AccountSuspended,
    /// A guest's time-limited account has ended.
    AccountExpired,
    /// The policy requires a second factor before acting.
    SecondFactorRequired,
    /// A state-changing request from another site without a Bearer token.
    CsrfRejected,
    /// A websocket opened from another site.
    CrossSiteRefused,
    /// Unknown, or not visible to the caller (never told apart).
    NotFound,
    /// The username is in use.
    UsernameTaken,
    /// The e-mail address is in use.
    EmailTaken,
    /// A category with that slug exists.
    SlugTaken,
    /// A group with that name exists.
    GroupExists,
    /// The caller already has an open flag on this post.
    AlreadyFlagged,
    /// The caller already endorsed this analysis.
    AlreadyEndorsed,
    /// The flag was already resolved.
    FlagResolved,
    /// The second factor is already on.
    TotpAlreadyEnabled,
    /// The body is over the limit.
    PayloadTooLarge,
    /// The body is not JSON.
    UnsupportedMediaType,
    /// Members cannot post in a locked thread.
    ThreadLocked,
    /// Too many requests.
    RateLimited,
    /// The thread's slow mode: wait before replying again.
    SlowMode,
    /// Too many open websockets for this member.
    TooManyConnections,
    /// Something failed on our side.
    Internal,
    /// The database is unreachable for a moment.
    Unavailable,
    /// The search index is being rebuilt.
    SearchUnavailable,
    /// A file, or the files on a post, or a day's uploads, over a limit.
    TooLarge,
    /// A file whose content is not of a type members may attach.
    UnsupportedType,
    /// The malware scanner found something in a file.
    MalwareDetected,
    /// Scanning is configured but the scanner cannot be reached.
    ScannerUnavailable,
    /// The text holds what looks like personal data (`error.spans`); send
    /// `acknowledge_personal_data: {reason}` to post it anyway.
    PersonalDataSuspected,
}

impl ErrorCode {
    /// Every code, in the order of `docs/api.md`.
    pub const ALL: [ErrorCode; 49] = [
        ErrorCode::InvalidField,
        ErrorCode::WeakPassword,
        ErrorCode::WrongPassword,
        ErrorCode::InvitationInvalid,
        ErrorCode::InvitationUsed,
        ErrorCode::InvitationExpired,
        ErrorCode::ResetLinkInvalid,
        ErrorCode::LastAdmin,
        ErrorCode::MalformedRequest,
        ErrorCode::BadRequest,
        ErrorCode::UnknownTopic,
        ErrorCode::TooManyTopics,
        ErrorCode::Unauthenticated,
        ErrorCode::InvalidCredentials,
        ErrorCode::InvalidRefreshToken,
        ErrorCode::RefreshTokenJustUsed,
        ErrorCode::TotpRequired,
        ErrorCode::InvalidTotp,
        ErrorCode::Forbidden,
        ErrorCode::ModeratorsOnly,
        ErrorCode::NotAuthor,
        ErrorCode::AccountSuspended,
        ErrorCode::AccountExpired,
        ErrorCode::SecondFactorRequired,
        ErrorCode::CsrfRejected,
        ErrorCode::CrossSiteRefused,
        ErrorCode::NotFound,
        ErrorCode::UsernameTaken,
        ErrorCode::EmailTaken,
        ErrorCode::SlugTaken,
        ErrorCode::GroupExists,
        ErrorCode::AlreadyFlagged,
        ErrorCode::AlreadyEndorsed,
        ErrorCode::FlagResolved,
        ErrorCode::TotpAlreadyEnabled,
        ErrorCode::PayloadTooLarge,
        ErrorCode::UnsupportedMediaType,
        ErrorCode::ThreadLocked,
        ErrorCode::RateLimited,
        ErrorCode::SlowMode,
        ErrorCode::TooManyConnections,
        ErrorCode::Internal,
        ErrorCode::Unavailable,
        ErrorCode::SearchUnavailable,
        ErrorCode::TooLarge,
        ErrorCode::UnsupportedType,
        ErrorCode::MalwareDetected,
        ErrorCode::ScannerUnavailable,
        ErrorCode::PersonalDataSuspected,
    ];

    /// The code as clients see it.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::InvalidField => "invalid_field",
            ErrorCode::WeakPassword => "weak_password",
            ErrorCode::WrongPassword => "wrong_password",
            ErrorCode::InvitationInvalid => "invitation_invalid",
            ErrorCode::InvitationUsed => "invitation_used",
            ErrorCode::InvitationExpired => "invitation_expired",
            ErrorCode::ResetLinkInvalid => "reset_link_invalid",
            ErrorCode::LastAdmin => "last_admin",
            ErrorCode::MalformedRequest => "malformed_request",
            ErrorCode::BadRequest => "bad_request",
            ErrorCode::UnknownTopic => "unknown_topic",
            ErrorCode::TooManyTopics => "too_many_topics",
            ErrorCode::Unauthenticated => "unauthenticated",
            ErrorCode::InvalidCredentials => "invalid_credentials",
            ErrorCode::InvalidRefreshToken => "invalid_refresh_token",
            ErrorCode::RefreshTokenJustUsed => "refresh_token_just_used",
            ErrorCode::TotpRequired => "totp_required",
            ErrorCode::InvalidTotp => "invalid_totp",
            ErrorCode::Forbidden => "forbidden",
            ErrorCode::ModeratorsOnly => "moderators_only",
            ErrorCode::NotAuthor => "not_author",
            ErrorCode::AccountSuspended => "account_suspended",
            ErrorCode::AccountExpired => "account_expired",
            ErrorCode::SecondFactorRequired => "second_factor_required",
            ErrorCode::CsrfRejected => "csrf_rejected",
            ErrorCode::CrossSiteRefused => "cross_site_refused",
            ErrorCode::NotFound => "not_found",
            ErrorCode::UsernameTaken => "username_taken",
            ErrorCode::EmailTaken => "email_taken",
            ErrorCode::SlugTaken => "slug_taken",
            ErrorCode::GroupExists => "group_exists",
            ErrorCode::AlreadyFlagged => "already_flagged",
            ErrorCode::AlreadyEndorsed => "already_endorsed",
            ErrorCode::FlagResolved => "flag_resolved",
            ErrorCode::TotpAlreadyEnabled => "totp_already_enabled",
            ErrorCode::PayloadTooLarge => "payload_too_large",
            ErrorCode::UnsupportedMediaType => "unsupported_media_type",
            ErrorCode::ThreadLocked => "thread_locked",
            ErrorCode::RateLimited => "rate_limited",
            ErrorCode::SlowMode => "slow_mode",
            ErrorCode::TooManyConnections => "too_many_connections",
            ErrorCode::Internal => "internal",
            ErrorCode::Unavailable => "unavailable",
            ErrorCode::SearchUnavailable => "search_unavailable",
            ErrorCode::TooLarge => "too_large",
            ErrorCode::UnsupportedType => "unsupported_type",
            ErrorCode::MalwareDetected => "malware_detected",
            ErrorCode::ScannerUnavailable => "scanner_unavailable",
            ErrorCode::PersonalDataSuspected => "personal_data_suspected",
        }
    }
}

impl std::fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Why a field was refused, for a reader in any language (the message is
/// English; pages say the reason in the reader's language from this).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Only the message says (and, beyond a non-English page, the code).
    Other,
    Empty,
    TooShort {
        min: usize,
    },
    TooLong {
        max: usize,
    },
    /// Must fit on one line.
    SingleLine,
    /// Must be a date written YYYY-MM-DD.
    Date,
    TooMany {
        max: usize,
    },
    /// Not a code the forum knows (country, jurisdiction, language).
    UnknownCode,
}

#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// A field failed validation; `field` names it.
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        code: ErrorCode,
        message: String,
        reason: Reason,
    },
    #[error("{message}")]
    Unauthenticated { code: ErrorCode, message: String },
    #[error("{message}")]
    Forbidden { code: ErrorCode, message: String },
    /// Unknown, or not visible to the caller: the two are never told apart.
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict { code: ErrorCode, message: String },
    #[error("{message}")]
    Locked { message: String },
    /// Over a size or count limit.
    #[error("{message}")]
    TooLarge { message: String },
    /// Too soon: wait before trying again (slow mode).
    #[error("{message}")]
    RateLimited { code: ErrorCode, message: String },
    /// Suspected personal data, where and what (a 422 naming the spans).
    #[error(
        "{field} seems to hold personal data; edit it, pseudonymise it, or send acknowledge_personal_data with a reason"
    )]
    PersonalData {
        field: &'static str,
        spans: Vec<crate::domain::personal_data::Suspect>,
    },
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
            CoreError::Invalid { .. } | CoreError::PersonalData { .. } => ErrorKind::Invalid,
            CoreError::Unauthenticated { .. } => ErrorKind::Unauthenticated,
            CoreError::Forbidden { .. } => ErrorKind::Forbidden,
            CoreError::NotFound => ErrorKind::NotFound,
            CoreError::Conflict { .. } => ErrorKind::Conflict,
            CoreError::Locked { .. } => ErrorKind::Locked,
            CoreError::TooLarge { .. } => ErrorKind::TooLarge,
            CoreError::RateLimited { .. } => ErrorKind::RateLimited,
            CoreError::Database(diesel::result::Error::NotFound) => ErrorKind::NotFound,
            CoreError::Pool(_) => ErrorKind::Unavailable,
            CoreError::Database(_) | CoreError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Stable machine-readable code, as in `API.md`.
    pub fn code(&self) -> ErrorCode {
        match self {
            CoreError::Invalid { code, .. }
            | CoreError::Unauthenticated { code, .. }
            | CoreError::Forbidden { code, .. }
            | CoreError::Conflict { code, .. }
            | CoreError::RateLimited { code, .. } => *code,
            CoreError::NotFound | CoreError::Database(diesel::result::Error::NotFound) => {
                ErrorCode::NotFound
            }
            CoreError::Locked { .. } => ErrorCode::ThreadLocked,
            CoreError::PersonalData { .. } => ErrorCode::PersonalDataSuspected,
            CoreError::TooLarge { .. } => ErrorCode::TooLarge,
            CoreError::Pool(_) => ErrorCode::Unavailable,
            CoreError::Database(_) | CoreError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// Why an `Invalid` error's field was refused.
    pub fn reason(&self) -> Reason {
        match self {
            CoreError::Invalid { reason, .. } => *reason,
            _ => Reason::Other,
        }
    }

    /// The field an `Invalid` error is about.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            CoreError::Invalid { field, .. } | CoreError::PersonalData { field, .. } => Some(field),
            _ => None,
        }
    }

    /// The suspected personal data a `PersonalData` error found.
    pub fn personal_data(&self) -> Option<&[crate::domain::personal_data::Suspect]> {
        match self {
            CoreError::PersonalData { spans, .. } => Some(spans),
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
        CoreError::invalid_because(field, Reason::Other, message)
    }

    /// An invalid field, with a reason pages can say in any language.
    pub fn invalid_because(
        field: &'static str,
        reason: Reason,
        message: impl Into<String>,
    ) -> Self {
        CoreError::Invalid {
            field,
            code: ErrorCode::InvalidField,
            message: message.into(),
            reason,
        }
    }

    pub fn forbidden(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError::Forbidden {
            code,
            message: message.into(),
        }
    }

    pub fn conflict(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError::Conflict {
            code,
            message: message.into(),
        }
    }

    pub fn unauthenticated(code: ErrorCode, message: impl Into<String>) -> Self {
        CoreError::Unauthenticated {
            code,
            message: message.into(),
        }
    }
}

pub type Result<T, E = CoreError> = std::result::Result<T, E>;
