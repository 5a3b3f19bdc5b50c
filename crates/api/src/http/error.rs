//! The one error type of the HTTP layer and its RFC 9457 problem+json rendering.
//!
//! Handlers and extractors return [`ApiError`]. Its `ResponseError` response carries a
//! Swedish body, and the [`super::middleware::localize_problems`] middleware renders it again in
//! the request's language with the request id, because `ResponseError` cannot see the
//! request.

use std::time::Duration;

use actix_web::http::StatusCode;
use actix_web::http::header::{
    ALLOW, CONTENT_LANGUAGE, CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE,
};
use actix_web::{HttpResponse, ResponseError};
use incert_contract::problem::PROBLEM_CONTENT_TYPE;
use incert_contract::{ErrorCode, FieldError, Problem};

use super::messages;
use crate::i18n::Language;
use crate::storage::StorageError;
use crate::telemetry::RepeatLimit;

/// Seconds a client should wait before retrying when the database is unavailable.
const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 5;

/// One invalid field: its name in the request and the code of the broken rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldIssue {
    pub field: String,
    pub code: String,
}

impl FieldIssue {
    pub fn new(field: impl Into<String>, code: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            code: code.into(),
        }
    }
}

/// Every way a request can fail, as the client sees it.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("validation failed on {} field(s)", .0.len())]
    Validation(Vec<FieldIssue>),
    #[error("request body is not valid JSON")]
    InvalidJson(Vec<FieldIssue>),
    #[error("unsupported content type")]
    UnsupportedMediaType,
    #[error("request body exceeds {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("request body not received in time")]
    RequestTimeout,
    #[error("not found")]
    NotFound,
    #[error("method not allowed; allowed: {allowed}")]
    MethodNotAllowed { allowed: String },
    #[error("invalid credentials")]
    InvalidCredentials,
    #[error("first-time password expired")]
    InitialPasswordExpired,
    #[error("authentication required")]
    AuthenticationRequired,
    #[error("access token expired")]
    TokenExpired,
    #[error("invalid refresh token")]
    InvalidRefreshToken,
    #[error("password change required")]
    PasswordChangeRequired,
    #[error("invalid login code")]
    InvalidLoginCode,
    #[error("login challenge ended")]
    LoginChallengeEnded,
    #[error("code resent too early")]
    ResendTooEarly { retry_after: Duration },
    #[error("email address taken")]
    EmailTaken,
    #[error("a BankID order is already in progress for the person")]
    BankIdAlreadyInProgress,
    #[error("the caller's role does not allow this operation")]
    Forbidden,
    /// The resource's state does not allow the operation. The code names the rule.
    #[error("conflict: {}", .0.as_str())]
    Conflict(ErrorCode),
    /// A well-formed request that a rule other than field validation rejects.
    #[error("unprocessable: {}", .0.as_str())]
    Unprocessable(ErrorCode),
    #[error("rate limited")]
    RateLimited { retry_after: Duration },
    #[error("service unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl From<StorageError> for ApiError {
    fn from(error: StorageError) -> Self {
        match error {
            StorageError::Unavailable(reason) => Self::Unavailable(reason),
            StorageError::Query(error) => error.into(),
            other => Self::Internal(other.to_string()),
        }
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(error: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};

        match error {
            Error::NotFound => Self::NotFound,
            // The connection ended under a running query, as in a database restart. The caller
            // may retry, so the status is 503 rather than 500.
            Error::DatabaseError(
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand,
                info,
            ) => Self::Unavailable(info.message().to_owned()),
            Error::BrokenTransactionManager => {
                Self::Unavailable("transaction state lost with the connection".to_owned())
            }
            // SQLite waited its busy timeout for another connection's write lock.
            // PostgreSQL ends a statement that waited longer than the pool's lock timeout.
            Error::DatabaseError(DatabaseErrorKind::Unknown, info)
                if info.message().contains("database is locked")
                    || info.message().contains("lock timeout") =>
            {
                Self::Unavailable(info.message().to_owned())
            }
            other => Self::Internal(other.to_string()),
        }
    }
}

/// Status, code and field errors of a problem response, before a language is chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProblemParts {
    pub status: StatusCode,
    pub code: ErrorCode,
    pub errors: Vec<FieldIssue>,
    pub retry_after_seconds: Option<u64>,
    /// Methods for the `Allow` header of a 405 response.
    pub allowed_methods: Option<String>,
}

impl ApiError {
    pub fn parts(&self) -> ProblemParts {
        let (status, code) = match self {
            Self::Validation(_) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                ErrorCode::ValidationFailed,
            ),
            Self::InvalidJson(_) => (StatusCode::BAD_REQUEST, ErrorCode::InvalidJson),
            Self::UnsupportedMediaType => (
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                ErrorCode::UnsupportedMediaType,
            ),
            Self::PayloadTooLarge { .. } => {
                (StatusCode::PAYLOAD_TOO_LARGE, ErrorCode::PayloadTooLarge)
            }
            Self::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, ErrorCode::RequestTimeout),
            Self::NotFound => (StatusCode::NOT_FOUND, ErrorCode::NotFound),
            Self::MethodNotAllowed { .. } => {
                (StatusCode::METHOD_NOT_ALLOWED, ErrorCode::MethodNotAllowed)
            }
            Self::InvalidCredentials => (StatusCode::UNAUTHORIZED, ErrorCode::InvalidCredentials),
            Self::InitialPasswordExpired => {
                (StatusCode::UNAUTHORIZED, ErrorCode::InitialPasswordExpired)
            }
            Self::AuthenticationRequired => {
                (StatusCode::UNAUTHORIZED, ErrorCode::AuthenticationRequired)
            }
            Self::TokenExpired => (StatusCode::UNAUTHORIZED, ErrorCode::TokenExpired),
            Self::InvalidRefreshToken => (StatusCode::UNAUTHORIZED, ErrorCode::InvalidRefreshToken),
            Self::PasswordChangeRequired => {
                (StatusCode::FORBIDDEN, ErrorCode::PasswordChangeRequired)
            }
            Self::InvalidLoginCode => (StatusCode::UNAUTHORIZED, ErrorCode::InvalidLoginCode),
            Self::LoginChallengeEnded => (StatusCode::GONE, ErrorCode::LoginChallengeEnded),
            Self::ResendTooEarly { .. } => {
                (StatusCode::TOO_MANY_REQUESTS, ErrorCode::ResendTooEarly)
            }
            Self::EmailTaken => (StatusCode::CONFLICT, ErrorCode::EmailTaken),
            Self::BankIdAlreadyInProgress => {
                (StatusCode::CONFLICT, ErrorCode::BankIdAlreadyInProgress)
            }
            Self::Forbidden => (StatusCode::FORBIDDEN, ErrorCode::Forbidden),
            Self::Conflict(code) => (StatusCode::CONFLICT, *code),
            Self::Unprocessable(code) => (StatusCode::UNPROCESSABLE_ENTITY, *code),
            Self::RateLimited { .. } => (StatusCode::TOO_MANY_REQUESTS, ErrorCode::RateLimited),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                ErrorCode::ServiceUnavailable,
            ),
            Self::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, ErrorCode::InternalError),
        };
        let errors = match self {
            Self::Validation(errors) | Self::InvalidJson(errors) => errors.clone(),
            _ => Vec::new(),
        };
        let retry_after_seconds = match self {
            // Rounded up so a client never retries early.
            Self::RateLimited { retry_after } | Self::ResendTooEarly { retry_after } => {
                Some(retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0))
            }
            Self::Unavailable(_) => Some(UNAVAILABLE_RETRY_AFTER_SECONDS),
            _ => None,
        };
        let allowed_methods = match self {
            Self::MethodNotAllowed { allowed } => Some(allowed.clone()),
            _ => None,
        };
        ProblemParts {
            status,
            code,
            errors,
            retry_after_seconds,
            allowed_methods,
        }
    }
}

impl ProblemParts {
    /// Builds the problem body in `language`.
    pub fn to_problem(&self, language: Language, request_id: Option<String>) -> Problem {
        let (title, detail) = messages::problem_text(self.code, language);
        let errors = self
            .errors
            .iter()
            .map(|issue| FieldError {
                field: issue.field.clone(),
                code: issue.code.clone(),
                message: messages::field_message(&issue.code, language).to_owned(),
            })
            .collect();
        Problem {
            problem_type: "about:blank".to_owned(),
            title: title.to_owned(),
            status: self.status.as_u16(),
            detail: Some(detail.to_owned()),
            code: self.code,
            request_id,
            errors,
        }
    }

    pub fn to_response(&self, language: Language, request_id: Option<String>) -> HttpResponse {
        let problem = self.to_problem(language, request_id);
        let body = serde_json::to_string(&problem).unwrap_or_else(|_| String::from("{}"));
        let mut response = HttpResponse::build(self.status);
        response
            .insert_header((CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
            .insert_header((CONTENT_LANGUAGE, language.tag()));
        if let Some(seconds) = self.retry_after_seconds {
            response.insert_header((RETRY_AFTER, seconds.to_string()));
        }
        if matches!(
            self.code,
            ErrorCode::AuthenticationRequired | ErrorCode::TokenExpired
        ) {
            response.insert_header((WWW_AUTHENTICATE, "Bearer"));
        }
        if let Some(methods) = &self.allowed_methods {
            response.insert_header((ALLOW, methods.as_str()));
        }
        response.body(body)
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.parts().status
    }

    fn error_response(&self) -> HttpResponse {
        // Logged once here, at the boundary; the body never carries the cause.
        match self {
            Self::Internal(cause) => tracing::error!(%cause, "request failed"),
            Self::Unavailable(cause) => {
                // An outage fails every request the same way, so one line a second is enough.
                static REPEATS: RepeatLimit = RepeatLimit::new(Duration::from_secs(1));
                if let Some(held_back) = REPEATS.admit() {
                    tracing::warn!(%cause, held_back, "dependency unavailable");
                }
            }
            _ => {}
        }
        self.parts().to_response(Language::default(), None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_and_code_mapping() {
        let cases = [
            (
                ApiError::Validation(vec![]),
                422,
                ErrorCode::ValidationFailed,
            ),
            (ApiError::InvalidJson(vec![]), 400, ErrorCode::InvalidJson),
            (
                ApiError::UnsupportedMediaType,
                415,
                ErrorCode::UnsupportedMediaType,
            ),
            (
                ApiError::PayloadTooLarge { limit: 1 },
                413,
                ErrorCode::PayloadTooLarge,
            ),
            (ApiError::NotFound, 404, ErrorCode::NotFound),
            (
                ApiError::MethodNotAllowed {
                    allowed: "GET".into(),
                },
                405,
                ErrorCode::MethodNotAllowed,
            ),
            (
                ApiError::RateLimited {
                    retry_after: Duration::from_millis(1_500),
                },
                429,
                ErrorCode::RateLimited,
            ),
            (
                ApiError::Unavailable("pool".into()),
                503,
                ErrorCode::ServiceUnavailable,
            ),
            (
                ApiError::Internal("boom".into()),
                500,
                ErrorCode::InternalError,
            ),
        ];
        for (error, status, code) in cases {
            let parts = error.parts();
            assert_eq!(parts.status.as_u16(), status, "{error:?}");
            assert_eq!(parts.code, code, "{error:?}");
        }
    }

    #[test]
    fn storage_errors_map_to_unavailable_or_internal() {
        let unavailable = ApiError::from(StorageError::Unavailable("timed out".into()));
        assert_eq!(unavailable.parts().status, StatusCode::SERVICE_UNAVAILABLE);
        let not_found = ApiError::from(diesel::result::Error::NotFound);
        assert_eq!(not_found.parts().status, StatusCode::NOT_FOUND);
        let broken = ApiError::from(diesel::result::Error::BrokenTransactionManager);
        assert_eq!(broken.parts().status, StatusCode::SERVICE_UNAVAILABLE);
        let closed = ApiError::from(StorageError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::ClosedConnection,
            Box::new("server closed the connection".to_owned()),
        )));
        assert_eq!(closed.parts().status, StatusCode::SERVICE_UNAVAILABLE);
        let locked = ApiError::from(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new("database is locked".to_owned()),
        ));
        assert_eq!(locked.parts().status, StatusCode::SERVICE_UNAVAILABLE);
        let lock_wait = ApiError::from(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::Unknown,
            Box::new("canceling statement due to lock timeout".to_owned()),
        ));
        assert_eq!(lock_wait.parts().status, StatusCode::SERVICE_UNAVAILABLE);
        let unique = ApiError::from(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            Box::new("duplicate key".to_owned()),
        ));
        assert_eq!(unique.parts().status, StatusCode::INTERNAL_SERVER_ERROR);
    }

    #[test]
    fn retry_after_rounds_up() {
        let parts = ApiError::RateLimited {
            retry_after: Duration::from_millis(1_500),
        }
        .parts();
        assert_eq!(parts.retry_after_seconds, Some(2));
    }

    #[test]
    fn internal_cause_stays_out_of_body() {
        let parts = ApiError::Internal("password=hunter2 at db.example".into()).parts();
        let body = serde_json::to_string(&parts.to_problem(Language::English, None));
        let body = body.unwrap_or_default();
        assert!(!body.contains("hunter2"), "{body}");
        assert!(body.contains("\"code\":\"internal_error\""), "{body}");
    }

    #[test]
    fn field_errors_are_localized() {
        let parts = ApiError::Validation(vec![FieldIssue::new("password", "required")]).parts();
        let swedish = parts.to_problem(Language::Swedish, None);
        let english = parts.to_problem(Language::English, None);
        let swedish_message = swedish.errors.first().map(|error| error.message.clone());
        let english_message = english.errors.first().map(|error| error.message.clone());
        assert_eq!(swedish_message.as_deref(), Some("Fältet måste fyllas i."));
        assert_eq!(english_message.as_deref(), Some("This field is required."));
    }
}
