//! The client's error type and the decoding of error responses into it.

use std::time::Duration;

use incert_contract::{ErrorCode, FieldError, Problem};
use reqwest::StatusCode;
use reqwest::header::{DATE, HeaderMap, RETRY_AFTER};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Maximum number of characters of a response body kept in
/// [`ClientError::UnexpectedResponse`].
const EXCERPT_CHARS: usize = 300;

/// Every way a call of [`Client`](crate::Client) can fail.
///
/// No variant contains a password, login code or token, in its `Display` or its `Debug` output.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ClientError {
    /// The base URL is not an absolute `http` or `https` URL without credentials, query or
    /// fragment.
    #[error("invalid base URL: {0}")]
    InvalidBaseUrl(String),

    /// An id passed for a path segment is empty, `.` or `..`, so no URL can carry it.
    #[error("invalid id {0:?}: an id in a URL path cannot be empty, \".\" or \"..\"")]
    InvalidId(String),

    /// The server rejected the request with an RFC 9457 problem response.
    #[error(
        "the server rejected the request with HTTP {status} ({code}): {title}",
        code = problem.code.as_str(),
        title = problem.title
    )]
    Api {
        /// HTTP status code of the response.
        status: u16,
        /// The decoded problem body, boxed to keep `Result<T, ClientError>` small.
        problem: Box<Problem>,
        /// The delay from the `Retry-After` header, which the server sends with 429 and 503.
        retry_after: Option<Duration>,
    },

    /// The request could not be sent or its response could not be read, for example because
    /// the connection was refused, timed out or broke off.
    #[error("request failed: {0}")]
    Transport(String),

    /// The response was neither the expected body nor a problem: an error status without a
    /// problem body (such as a proxy's HTML page) or a success body of the wrong shape.
    #[error("unexpected response with HTTP {status}: {body_excerpt}")]
    UnexpectedResponse {
        /// HTTP status code of the response.
        status: u16,
        /// The start of the body. Every JSON string value of a success body is replaced by
        /// `[redacted]`, because success bodies carry tokens.
        body_excerpt: String,
    },
}

impl ClientError {
    /// Returns the problem's stable code, for [`ClientError::Api`].
    pub fn code(&self) -> Option<ErrorCode> {
        self.problem().map(|problem| problem.code)
    }

    /// Returns the invalid fields of a `validation_failed` or `invalid_json` problem, and an
    /// empty slice for every other error.
    pub fn field_errors(&self) -> &[FieldError] {
        self.problem()
            .map(|problem| problem.errors.as_slice())
            .unwrap_or_default()
    }

    /// Returns the problem body, for [`ClientError::Api`].
    pub fn problem(&self) -> Option<&Problem> {
        match self {
            Self::Api { problem, .. } => Some(problem),
            _ => None,
        }
    }

    /// Returns the HTTP status code when the server responded.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Api { status, .. } | Self::UnexpectedResponse { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// Returns how long to wait before retrying, when the server sent `Retry-After`.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Api { retry_after, .. } => *retry_after,
            _ => None,
        }
    }
}

/// Converts a reqwest failure into [`ClientError::Transport`]. The URL is left out because its
/// path can contain a login challenge id. The causes are appended, because reqwest's own
/// message ("error sending request") does not say what failed.
pub(crate) fn transport_error(error: reqwest::Error) -> ClientError {
    let error = error.without_url();
    let mut message = error.to_string();
    let mut cause = std::error::Error::source(&error);
    while let Some(current) = cause {
        message.push_str(": ");
        message.push_str(&current.to_string());
        cause = current.source();
    }
    ClientError::Transport(message)
}

/// Decodes the response to a request that failed with a non-success `status`.
pub(crate) fn error_from_response(
    status: StatusCode,
    headers: &HeaderMap,
    body: &[u8],
) -> ClientError {
    match serde_json::from_slice::<Problem>(body) {
        Ok(problem) => ClientError::Api {
            status: status.as_u16(),
            problem: Box::new(problem),
            retry_after: retry_after(headers),
        },
        Err(_) => ClientError::UnexpectedResponse {
            status: status.as_u16(),
            body_excerpt: excerpt(body),
        },
    }
}

/// Decodes a success body as `T`.
pub(crate) fn decode_success<T: DeserializeOwned>(
    status: StatusCode,
    body: &[u8],
) -> Result<T, ClientError> {
    serde_json::from_slice(body).map_err(|_| ClientError::UnexpectedResponse {
        status: status.as_u16(),
        body_excerpt: redacted_excerpt(body),
    })
}

/// Reads `Retry-After`, which is either a number of seconds or an HTTP date.
///
/// A date is measured from the response's `Date` header instead of the local clock, because the
/// server's clock set both and the browser build has no reliable clock through chrono. A date
/// in the past gives zero.
// NOTE: only the IMF-fixdate form of HTTP dates is read; the obsolete RFC 850 and asctime
// forms give `None`.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }

    let until = chrono::DateTime::parse_from_rfc2822(value).ok()?;
    let date = headers.get(DATE)?.to_str().ok()?;
    let now = chrono::DateTime::parse_from_rfc2822(date.trim()).ok()?;
    Some((until - now).to_std().unwrap_or(Duration::ZERO))
}

/// Returns the start of a body as one line of text.
fn excerpt(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let words: Vec<&str> = text.split_whitespace().collect();
    if words.is_empty() {
        return "(empty body)".to_owned();
    }

    let line = words.join(" ");
    match line.char_indices().nth(EXCERPT_CHARS) {
        Some((end, _)) => format!("{}…", line.get(..end).unwrap_or_default()),
        None => line,
    }
}

/// Like [`excerpt`], but a JSON body keeps only its keys, numbers, booleans and nulls, with
/// every string replaced by `[redacted]`.
fn redacted_excerpt(body: &[u8]) -> String {
    match serde_json::from_slice::<Value>(body) {
        Ok(mut value) => {
            redact_strings(&mut value);
            excerpt(value.to_string().as_bytes())
        }
        Err(_) => excerpt(body),
    }
}

fn redact_strings(value: &mut Value) {
    match value {
        Value::String(text) => "[redacted]".clone_into(text),
        Value::Array(items) => items.iter_mut().for_each(redact_strings),
        Value::Object(fields) => fields.values_mut().for_each(redact_strings),
        Value::Null | Value::Bool(_) | Value::Number(_) => {}
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]
mod tests {
    use incert_contract::auth::TokenResponse;
    use reqwest::header::HeaderValue;
    use serde_json::json;

    use super::*;

    fn headers(pairs: &[(reqwest::header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(name, HeaderValue::from_str(value).expect("header value"));
        }
        map
    }

    fn validation_problem() -> Value {
        json!({
            "type": "about:blank",
            "title": "Ogiltiga uppgifter",
            "status": 422,
            "detail": "En eller flera uppgifter är ogiltiga.",
            "code": "validation_failed",
            "request_id": "req-1",
            "errors": [
                {"field": "email", "code": "email_missing_at", "message": "E-postadressen saknar @."},
                {"field": "birth_date", "code": "date_invalid", "message": "Ogiltigt datum."}
            ]
        })
    }

    #[test]
    fn problem_body_decodes_with_code_and_fields() {
        let body = validation_problem().to_string();

        let error = error_from_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &HeaderMap::new(),
            body.as_bytes(),
        );

        assert_eq!(error.status(), Some(422));
        assert_eq!(error.code(), Some(ErrorCode::ValidationFailed));
        assert_eq!(error.retry_after(), None);
        let fields: Vec<(&str, &str)> = error
            .field_errors()
            .iter()
            .map(|field| (field.field.as_str(), field.code.as_str()))
            .collect();
        assert_eq!(
            fields,
            vec![
                ("email", "email_missing_at"),
                ("birth_date", "date_invalid")
            ]
        );
        assert_eq!(
            error
                .problem()
                .and_then(|problem| problem.request_id.as_deref()),
            Some("req-1")
        );
    }

    #[test]
    fn problem_display_names_status_code_and_title() {
        let body = validation_problem().to_string();

        let error = error_from_response(
            StatusCode::UNPROCESSABLE_ENTITY,
            &HeaderMap::new(),
            body.as_bytes(),
        );

        assert_eq!(
            error.to_string(),
            "the server rejected the request with HTTP 422 (validation_failed): Ogiltiga uppgifter"
        );
    }

    #[test]
    fn retry_after_seconds_is_read() {
        let body = json!({
            "type": "about:blank", "title": "För många försök", "status": 429, "code": "rate_limited"
        })
        .to_string();

        let error = error_from_response(
            StatusCode::TOO_MANY_REQUESTS,
            &headers(&[(RETRY_AFTER, "120")]),
            body.as_bytes(),
        );

        assert_eq!(error.code(), Some(ErrorCode::RateLimited));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(120)));
        assert!(error.field_errors().is_empty());
    }

    #[test]
    fn retry_after_date_is_measured_from_date_header() {
        let map = headers(&[
            (RETRY_AFTER, "Wed, 21 Oct 2026 07:30:00 GMT"),
            (DATE, "Wed, 21 Oct 2026 07:28:30 GMT"),
        ]);

        assert_eq!(retry_after(&map), Some(Duration::from_secs(90)));
    }

    #[test]
    fn retry_after_date_in_past_is_zero() {
        let map = headers(&[
            (RETRY_AFTER, "Wed, 21 Oct 2026 07:00:00 GMT"),
            (DATE, "Wed, 21 Oct 2026 07:28:30 GMT"),
        ]);

        assert_eq!(retry_after(&map), Some(Duration::ZERO));
    }

    #[test]
    fn retry_after_unreadable_is_none() {
        let cases: [&[(reqwest::header::HeaderName, &str)]; 4] = [
            &[],
            &[(RETRY_AFTER, "soon")],
            &[(RETRY_AFTER, "-5")],
            &[(RETRY_AFTER, "Wed, 21 Oct 2026 07:30:00 GMT")],
        ];
        for pairs in cases {
            assert_eq!(retry_after(&headers(pairs)), None, "{pairs:?}");
        }
    }

    #[test]
    fn unknown_problem_code_decodes_as_unknown() {
        let body = json!({
            "type": "about:blank", "title": "Ny", "status": 409, "code": "some_future_code"
        })
        .to_string();

        let error = error_from_response(StatusCode::CONFLICT, &HeaderMap::new(), body.as_bytes());

        assert_eq!(error.code(), Some(ErrorCode::Unknown));
        assert_eq!(error.status(), Some(409));
    }

    #[test]
    fn status_comes_from_http_not_body() {
        let body = validation_problem().to_string();

        let error =
            error_from_response(StatusCode::BAD_REQUEST, &HeaderMap::new(), body.as_bytes());

        assert_eq!(error.status(), Some(400));
    }

    #[test]
    fn non_problem_error_keeps_excerpt() {
        let body = "<html>\n  <body>502 Bad Gateway</body>\n</html>";

        let error =
            error_from_response(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body.as_bytes());

        assert_eq!(
            error,
            ClientError::UnexpectedResponse {
                status: 502,
                body_excerpt: "<html> <body>502 Bad Gateway</body> </html>".to_owned(),
            }
        );
        assert_eq!(error.code(), None);
        assert!(error.field_errors().is_empty());
    }

    #[test]
    fn empty_error_body_is_named() {
        let error = error_from_response(StatusCode::FORBIDDEN, &HeaderMap::new(), b"");

        assert_eq!(
            error,
            ClientError::UnexpectedResponse {
                status: 403,
                body_excerpt: "(empty body)".to_owned(),
            }
        );
    }

    #[test]
    fn long_body_is_cut() {
        let body = "å".repeat(EXCERPT_CHARS * 2);

        let error =
            error_from_response(StatusCode::BAD_GATEWAY, &HeaderMap::new(), body.as_bytes());

        let ClientError::UnexpectedResponse { body_excerpt, .. } = error else {
            panic!("expected an unexpected response, got {error:?}");
        };
        assert_eq!(body_excerpt.chars().count(), EXCERPT_CHARS + 1);
        assert!(body_excerpt.ends_with('…'));
    }

    #[test]
    fn undecodable_token_body_hides_tokens() {
        let body = json!({
            "access_token": "eyJhbGciOiJIUzI1NiJ9.secret-access",
            "refresh_token": "secret-refresh",
            "expires_in": 900,
        })
        .to_string();

        let result = decode_success::<TokenResponse>(StatusCode::OK, body.as_bytes());

        let error = result.expect_err("the body lacks fields");
        let message = format!("{error} {error:?}");
        assert!(!message.contains("secret"), "{message}");
        assert!(message.contains("access_token"), "{message}");
        assert!(message.contains("900"), "{message}");
        assert_eq!(error.status(), Some(200));
    }

    #[test]
    fn success_body_decodes() {
        let body = json!({
            "access_token": "token",
            "token_type": "Bearer",
            "expires_in": 900,
            "scope": "full",
        })
        .to_string();

        let tokens = decode_success::<TokenResponse>(StatusCode::OK, body.as_bytes())
            .expect("a token response");

        assert_eq!(tokens.access_token, "token");
        assert_eq!(tokens.refresh_token, None);
    }
}
