//! RFC 9457 problem details, the body of every error response of the API.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Media type of every error response.
pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// Stable machine code of an error response. The web app and the client translate it; the
/// `title` and `detail` of a [`Problem`] are only for people reading raw responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// One or more fields are invalid; `errors` names each of them.
    ValidationFailed,
    /// The body is not well-formed JSON, or does not have the expected shape.
    InvalidJson,
    /// The request's `Content-Type` is not one the operation accepts.
    UnsupportedMediaType,
    /// The body is larger than the operation accepts.
    PayloadTooLarge,
    /// The request body did not arrive in time.
    RequestTimeout,
    /// No resource exists at the path.
    NotFound,
    /// The path exists but not with this HTTP method.
    MethodNotAllowed,
    /// The email address or password is wrong. The answer does not say which.
    InvalidCredentials,
    /// The password is the emailed first-time password, which has expired; reset it.
    InitialPasswordExpired,
    /// The request needs a valid access token in `Authorization: Bearer`.
    AuthenticationRequired,
    /// The access token has expired; refresh it.
    TokenExpired,
    /// The refresh token is unknown, expired, revoked or was already used.
    InvalidRefreshToken,
    /// The account must replace its first-time password before anything else.
    PasswordChangeRequired,
    /// The one-time code is wrong.
    InvalidLoginCode,
    /// The login challenge has expired, was used, was replaced by a newer login or had too
    /// many wrong codes; log in again.
    LoginChallengeEnded,
    /// A new code was requested before the cooldown ended; see `Retry-After`.
    ResendTooEarly,
    /// The email address belongs to another account.
    EmailTaken,
    /// BankID already has an order in progress for the person; finish or cancel it first.
    #[serde(rename = "bankid_already_in_progress")]
    BankIdAlreadyInProgress,
    /// The BankID login order has not been seen to complete yet. Poll its state until it is
    /// `complete`, then fetch the tokens.
    #[serde(rename = "bankid_order_not_complete")]
    BankIdOrderNotComplete,
    /// The caller's role does not allow the operation.
    Forbidden,
    /// The person already has an open application for the certificate type.
    ApplicationAlreadyOpen,
    /// The person already has a current certificate of the type. Apply for its
    /// recertification with `renews_certificate` instead.
    CertificateAlreadyHeld,
    /// The application's state does not allow the operation, such as withdrawing a decided
    /// application.
    ApplicationTransitionNotAllowed,
    /// The application cannot be approved before every exam part of the certificate type has
    /// a passed result.
    ExamNotPassed,
    /// The certificate is withdrawn, so it cannot be changed.
    CertificateWithdrawn,
    /// A recertification has replaced the certificate, so it cannot be attested any more.
    CertificateReplaced,
    /// Nobody may attest their own professional activity.
    SelfAttestationNotAllowed,
    /// Staff may not decide their own application or withdraw their own certificate.
    SelfDecisionNotAllowed,
    /// The candidate has no personal account. The person must register at IncertOnline
    /// first; the enrolment can then be sent again.
    CandidateWithoutAccount,
    /// The candidate is already enrolled on the exam session.
    AlreadyEnrolled,
    /// The candidate is enrolled on another session for the certificate type whose results
    /// are not reported yet.
    EnrolledElsewhere,
    /// Every seat of the exam session is taken.
    ExamSessionFull,
    /// The exam session takes no more enrolments: its certificate type is retired.
    ExamSessionClosed,
    /// The `Idempotency-Key` was already used with another request body.
    IdempotencyKeyReused,
    /// Too many requests; retry after the time in `Retry-After`.
    RateLimited,
    /// A dependency such as the database is unavailable; retry after `Retry-After`.
    ServiceUnavailable,
    /// An unexpected failure on the server; the body contains no detail about it.
    InternalError,
    /// A code this version of the contract does not know, sent by a newer server.
    #[serde(other)]
    Unknown,
}

impl ErrorCode {
    /// Returns the code as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::ValidationFailed => "validation_failed",
            Self::InvalidJson => "invalid_json",
            Self::UnsupportedMediaType => "unsupported_media_type",
            Self::PayloadTooLarge => "payload_too_large",
            Self::RequestTimeout => "request_timeout",
            Self::NotFound => "not_found",
            Self::MethodNotAllowed => "method_not_allowed",
            Self::InvalidCredentials => "invalid_credentials",
            Self::InitialPasswordExpired => "initial_password_expired",
            Self::AuthenticationRequired => "authentication_required",
            Self::TokenExpired => "token_expired",
            Self::InvalidRefreshToken => "invalid_refresh_token",
            Self::PasswordChangeRequired => "password_change_required",
            Self::InvalidLoginCode => "invalid_login_code",
            Self::LoginChallengeEnded => "login_challenge_ended",
            Self::ResendTooEarly => "resend_too_early",
            Self::EmailTaken => "email_taken",
            Self::BankIdAlreadyInProgress => "bankid_already_in_progress",
            Self::BankIdOrderNotComplete => "bankid_order_not_complete",
            Self::Forbidden => "forbidden",
            Self::ApplicationAlreadyOpen => "application_already_open",
            Self::CertificateAlreadyHeld => "certificate_already_held",
            Self::ApplicationTransitionNotAllowed => "application_transition_not_allowed",
            Self::ExamNotPassed => "exam_not_passed",
            Self::CertificateWithdrawn => "certificate_withdrawn",
            Self::CertificateReplaced => "certificate_replaced",
            Self::SelfAttestationNotAllowed => "self_attestation_not_allowed",
            Self::SelfDecisionNotAllowed => "self_decision_not_allowed",
            Self::CandidateWithoutAccount => "candidate_without_account",
            Self::AlreadyEnrolled => "already_enrolled",
            Self::EnrolledElsewhere => "enrolled_elsewhere",
            Self::ExamSessionFull => "exam_session_full",
            Self::ExamSessionClosed => "exam_session_closed",
            Self::IdempotencyKeyReused => "idempotency_key_reused",
            Self::RateLimited => "rate_limited",
            Self::ServiceUnavailable => "service_unavailable",
            Self::InternalError => "internal_error",
            Self::Unknown => "unknown",
        }
    }
}

/// One invalid field of a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct FieldError {
    /// Name of the field in the request body, or `body` for the body as a whole.
    #[schema(example = "email")]
    pub field: String,
    /// Stable code of the broken rule, such as `email_missing_at` or `required`.
    #[schema(example = "email_missing_at")]
    pub code: String,
    /// The rule explained in the language of the answer.
    #[schema(example = "E-postadressen saknar @.")]
    pub message: String,
}

/// An error answer in the RFC 9457 `application/problem+json` format.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "about:blank",
    "title": "Ogiltiga uppgifter",
    "status": 422,
    "detail": "En eller flera uppgifter är ogiltiga.",
    "code": "validation_failed",
    "errors": [{"field": "email", "code": "email_missing_at", "message": "E-postadressen saknar @."}]
}))]
pub struct Problem {
    /// URI of the problem type; `about:blank`, because `code` names what went wrong.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short summary in the language of the answer.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence in the language of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Stable machine code.
    pub code: ErrorCode,
    /// Id of the request, to quote when asking for support.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Each invalid field, when `code` is `validation_failed` or `invalid_json`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_code_wire_names_match_as_str() {
        let codes = [
            ErrorCode::ValidationFailed,
            ErrorCode::InvalidJson,
            ErrorCode::UnsupportedMediaType,
            ErrorCode::PayloadTooLarge,
            ErrorCode::RequestTimeout,
            ErrorCode::NotFound,
            ErrorCode::MethodNotAllowed,
            ErrorCode::InvalidCredentials,
            ErrorCode::InitialPasswordExpired,
            ErrorCode::AuthenticationRequired,
            ErrorCode::TokenExpired,
            ErrorCode::InvalidRefreshToken,
            ErrorCode::PasswordChangeRequired,
            ErrorCode::InvalidLoginCode,
            ErrorCode::LoginChallengeEnded,
            ErrorCode::ResendTooEarly,
            ErrorCode::EmailTaken,
            ErrorCode::BankIdAlreadyInProgress,
            ErrorCode::BankIdOrderNotComplete,
            ErrorCode::Forbidden,
            ErrorCode::ApplicationAlreadyOpen,
            ErrorCode::CertificateAlreadyHeld,
            ErrorCode::ApplicationTransitionNotAllowed,
            ErrorCode::ExamNotPassed,
            ErrorCode::CertificateWithdrawn,
            ErrorCode::CertificateReplaced,
            ErrorCode::SelfAttestationNotAllowed,
            ErrorCode::SelfDecisionNotAllowed,
            ErrorCode::CandidateWithoutAccount,
            ErrorCode::AlreadyEnrolled,
            ErrorCode::EnrolledElsewhere,
            ErrorCode::ExamSessionFull,
            ErrorCode::ExamSessionClosed,
            ErrorCode::IdempotencyKeyReused,
            ErrorCode::RateLimited,
            ErrorCode::ServiceUnavailable,
            ErrorCode::InternalError,
        ];
        for code in codes {
            let json = serde_json::to_value(code).ok();
            assert_eq!(json, Some(serde_json::Value::from(code.as_str())));
        }
    }

    #[test]
    fn unknown_error_code_deserializes_as_unknown() {
        let code: Result<ErrorCode, _> = serde_json::from_str("\"some_future_code\"");
        assert_eq!(code.ok(), Some(ErrorCode::Unknown));
    }
}
