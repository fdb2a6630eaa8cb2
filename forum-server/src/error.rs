//! HTTP errors. `forum-core` errors carry a kind and a stable code; here
//! they become the `API.md` body `{"error": {"code", "message", "field"?}}`
//! with the matching status. 5xx bodies say nothing internal: the cause
//! goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use forum_core::error::ErrorCode;
use forum_core::{CoreError, ErrorKind};
use serde::Serialize;

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    pub code: String,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// `personal_data_suspected`: where and what, `{field, start, end,
    /// kind}` (offsets in characters of that field's text).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Option<Vec<Object>>)]
    pub spans: Option<Vec<forum_core::domain::personal_data::Suspect>>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub message: String,
    pub field: Option<String>,
    /// Seconds for `Retry-After` (429).
    pub retry_after: Option<u64>,
    /// Suspected personal data (`personal_data_suspected`).
    pub spans: Option<Vec<forum_core::domain::personal_data::Suspect>>,
}

impl ApiError {
    pub fn new(status: StatusCode, code: ErrorCode, message: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            message: message.into(),
            field: None,
            retry_after: None,
            spans: None,
        }
    }

    pub fn unauthenticated() -> Self {
        ApiError::new(
            StatusCode::UNAUTHORIZED,
            ErrorCode::Unauthenticated,
            "authentication required",
        )
    }

    pub fn invalid(field: &str, message: impl Into<String>) -> Self {
        ApiError {
            field: Some(field.to_owned()),
            ..ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::InvalidField,
                message,
            )
        }
    }

    /// The message in `lang`: the catalogue's text for the code, or the
    /// English message (which may be more specific) for English and for
    /// codes the catalogues do not know.
    pub fn localized_message(&self, lang: views::Lang) -> String {
        if lang == views::Lang::En {
            return self.message.clone();
        }
        let i18n = views::I18n::new(lang);
        let key = format!("error-{}", self.code);
        let translated = match &self.field {
            Some(field) => i18n.try_t(&key).map(|_| i18n.t1(&key, "field", field)),
            None => i18n.try_t(&key),
        };
        translated.unwrap_or_else(|| self.message.clone())
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        tracing::error!(error = %cause, "internal error");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            ErrorCode::Internal,
            "internal error",
        )
    }
}

pub fn status_of(kind: ErrorKind) -> StatusCode {
    match kind {
        ErrorKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Unauthenticated => StatusCode::UNAUTHORIZED,
        ErrorKind::Forbidden => StatusCode::FORBIDDEN,
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Conflict => StatusCode::CONFLICT,
        ErrorKind::Locked => StatusCode::LOCKED,
        ErrorKind::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        ErrorKind::RateLimited => StatusCode::TOO_MANY_REQUESTS,
        ErrorKind::Unavailable => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::Internal => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        let status = status_of(err.kind());
        if status.is_server_error() {
            tracing::error!(error = %err, source = ?std::error::Error::source(&err), "request failed");
        }
        ApiError {
            status,
            code: err.code(),
            message: err.public_message(),
            field: err.field().map(str::to_owned),
            retry_after: None,
            spans: err.personal_data().map(<[_]>::to_vec),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(err: actix_web::error::BlockingError) -> Self {
        ApiError::internal(err)
    }
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.code, self.message)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let mut response = HttpResponse::build(self.status);
        response.insert_header(("Content-Language", crate::i18n::current().code()));
        if let Some(secs) = self.retry_after {
            response.insert_header(("Retry-After", secs.to_string()));
        }
        response.json(ErrorBody {
            error: ErrorDetail {
                code: self.code.as_str().to_owned(),
                message: self.localized_message(crate::i18n::current()),
                field: self.field.clone(),
                spans: self.spans.clone(),
            },
        })
    }
}

/// Turns the JSON extractor's failures into the error shape: syntax → 400,
/// wrong or missing fields → 422 naming the field, too large → 413.
pub fn json_error(
    err: actix_web::error::JsonPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    use actix_web::error::JsonPayloadError as E;
    let api = match &err {
        E::Overflow { .. } | E::OverflowKnownLength { .. } => ApiError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorCode::PayloadTooLarge,
            "the request body is too large",
        ),
        E::ContentType => ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ErrorCode::UnsupportedMediaType,
            "expected Content-Type: application/json",
        ),
        E::Deserialize(inner) if inner.is_data() => {
            let message = inner.to_string();
            ApiError {
                field: field_in_serde_message(&message),
                ..ApiError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    ErrorCode::InvalidField,
                    message,
                )
            }
        }
        _ => ApiError::new(
            StatusCode::BAD_REQUEST,
            ErrorCode::MalformedRequest,
            format!("malformed JSON: {err}"),
        ),
    };
    api.into()
}

/// Pulls the field name out of serde's "missing field `x`" / "unknown field
/// `x`" messages.
fn field_in_serde_message(message: &str) -> Option<String> {
    let start = message.find('`')? + 1;
    let end = start + message[start..].find('`')?;
    let candidate = &message[start..end];
    (message.contains("field") && !candidate.is_empty()).then(|| candidate.to_owned())
}

/// Path and query extraction failures: 400 (or 404 for a non-numeric id).
pub fn path_error(
    err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::new(
        StatusCode::NOT_FOUND,
        ErrorCode::NotFound,
        format!("not found: {err}"),
    )
    .into()
}

pub fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::new(
        StatusCode::BAD_REQUEST,
        ErrorCode::MalformedRequest,
        format!("invalid query: {err}"),
    )
    .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_field_names() {
        assert_eq!(
            field_in_serde_message("missing field `title` at line 1 column 2").as_deref(),
            Some("title")
        );
        assert_eq!(field_in_serde_message("invalid type: string"), None);
    }
}
