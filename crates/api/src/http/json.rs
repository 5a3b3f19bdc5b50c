//! A JSON body extractor whose every failure is an [`ApiError`] naming the field at fault.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_LENGTH;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use serde_json::error::Category;

use super::error::{ApiError, FieldIssue};

/// How long a client may take to send a whole body; a client that stalls receives 408
/// instead of holding the connection open.
const BODY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

/// Largest body the extractor reads, stored as app data.
#[derive(Debug, Clone, Copy)]
pub struct BodyLimit(pub usize);

/// A request body read as JSON of type `T`. Unlike `actix_web::web::Json`, failures become
/// problem responses: 415 for another content type, 413 for a body over [`BodyLimit`], 400 for
/// malformed JSON and 422 naming the field for a missing, unknown or mistyped field.
///
/// actix-web runs a handler's extractors concurrently and returns the first failure, so
/// a body error can arrive before the authorisation error. Handlers behind a token take
/// `Result<Json<T>, ApiError>` and unwrap it after the token or role extractor has succeeded.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let limit = request
            .app_data::<web::Data<BodyLimit>>()
            .map_or(64 * 1024, |limit| limit.0);
        let checked = check_headers(request, limit);
        let payload = payload.take();
        Box::pin(async move {
            checked?;
            let body = read_body(payload, limit).await?;
            parse(&body).map(Json)
        })
    }
}

/// Reads a whole request body of at most `limit` bytes within [`BODY_TIMEOUT`].
pub async fn read_body(mut payload: Payload, limit: usize) -> Result<web::BytesMut, ApiError> {
    let read = async {
        let mut body = web::BytesMut::new();
        while let Some(chunk) = payload.next().await {
            let chunk = chunk.map_err(|_| ApiError::InvalidJson(vec![body_issue()]))?;
            if body.len() + chunk.len() > limit {
                return Err(ApiError::PayloadTooLarge { limit });
            }
            body.extend_from_slice(&chunk);
        }
        Ok(body)
    };
    tokio::time::timeout(BODY_TIMEOUT, read)
        .await
        .map_err(|_| ApiError::RequestTimeout)?
}

fn check_headers(request: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    let is_json = request.mime_type().ok().flatten().is_some_and(|mime| {
        mime.type_() == "application"
            && (mime.subtype() == "json" || mime.suffix().is_some_and(|s| s == "json"))
    });
    if !is_json {
        return Err(ApiError::UnsupportedMediaType);
    }
    check_declared_length(request, limit)
}

/// Refuses a body whose declared length is over `limit` before any of it is read.
pub fn check_declared_length(request: &HttpRequest, limit: usize) -> Result<(), ApiError> {
    let declared_length = request
        .headers()
        .get(CONTENT_LENGTH)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<usize>().ok());
    if declared_length.is_some_and(|length| length > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    Ok(())
}

fn body_issue() -> FieldIssue {
    FieldIssue::new("body", "invalid_syntax")
}

/// Deserialises `body`, turning serde's error into field issues.
pub fn parse<T: DeserializeOwned>(body: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let error = match serde_path_to_error::deserialize(&mut deserializer) {
        // Anything but whitespace after the value makes the body malformed.
        Ok(value) => {
            deserializer
                .end()
                .map_err(|_| ApiError::InvalidJson(vec![body_issue()]))?;
            return match null_character_field(body) {
                Some(field) => Err(ApiError::Validation(vec![FieldIssue::new(
                    field,
                    "null_character",
                )])),
                None => Ok(value),
            };
        }
        Err(error) => error,
    };
    let path = error.path().to_string();
    let inner = error.into_inner();
    // serde_json reports some type errors, such as a number where an enum's string belongs,
    // as syntax errors. Well-formed JSON makes them what they are: a field of the wrong type.
    let well_formed = serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok();
    match inner.classify() {
        Category::Syntax if well_formed && path != "." => {
            Err(ApiError::Validation(vec![FieldIssue::new(
                path,
                "invalid_type",
            )]))
        }
        Category::Syntax | Category::Eof | Category::Io => {
            Err(ApiError::InvalidJson(vec![body_issue()]))
        }
        Category::Data => Err(ApiError::Validation(vec![data_issue(
            &path,
            &inner.to_string(),
        )])),
    }
}

/// Returns the path of the first string, key or value, that contains U+0000, which
/// PostgreSQL rejects in text. Only the escape `\u0000` can put it into valid JSON, so a body
/// without that escape is not parsed again.
fn null_character_field(body: &[u8]) -> Option<String> {
    const ESCAPE: &[u8] = b"\\u0000";
    if !body.windows(ESCAPE.len()).any(|window| window == ESCAPE) {
        return None;
    }
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    find_null_character(&value, "")
}

fn find_null_character(value: &serde_json::Value, path: &str) -> Option<String> {
    let join = |name: &str| {
        if path.is_empty() {
            name.to_owned()
        } else {
            format!("{path}.{name}")
        }
    };
    match value {
        serde_json::Value::String(text) if text.contains('\0') => Some(if path.is_empty() {
            "body".to_owned()
        } else {
            path.to_owned()
        }),
        serde_json::Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(index, item)| find_null_character(item, &format!("{path}[{index}]"))),
        serde_json::Value::Object(fields) => fields.iter().find_map(|(name, field)| {
            if name.contains('\0') {
                Some(join(name))
            } else {
                find_null_character(field, &join(name))
            }
        }),
        _ => None,
    }
}

/// Names the field of a data error. serde reports a missing field at its parent's path and
/// puts the field's name in backticks in the message, as it does for unknown fields.
pub(super) fn data_issue(path: &str, message: &str) -> FieldIssue {
    let quoted = message
        .split('`')
        .nth(1)
        .filter(|name| !name.is_empty())
        .map(str::to_owned);
    let parent = if path == "." { "" } else { path };
    let join = |name: String| {
        if parent.is_empty() {
            name
        } else {
            format!("{parent}.{name}")
        }
    };
    if message.starts_with("missing field") {
        let field = quoted.map_or_else(|| "body".to_owned(), join);
        return FieldIssue::new(field, "required");
    }
    if message.starts_with("unknown field") {
        // serde_path_to_error already ends the path with the unknown key.
        let field = if parent.is_empty() {
            quoted.unwrap_or_else(|| "body".to_owned())
        } else {
            parent.to_owned()
        };
        return FieldIssue::new(field, "unknown_field");
    }
    if message.starts_with("duplicate field") {
        let field = quoted.map_or_else(|| "body".to_owned(), join);
        return FieldIssue::new(field, "duplicate_field");
    }
    let field = if parent.is_empty() {
        "body".to_owned()
    } else {
        parent.to_owned()
    };
    // A value of the right type can still be wrong, such as 2026-02-30 or an unknown name.
    let code = if message.starts_with("invalid type") || message.starts_with("invalid length") {
        "invalid_type"
    } else {
        "invalid_value"
    };
    FieldIssue::new(field, code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields exist only to be deserialised")]
    struct Sample {
        name: String,
        tags: Vec<String>,
    }

    fn issue_of(body: &str) -> Option<(u16, FieldIssue)> {
        match parse::<Sample>(body.as_bytes()) {
            Ok(_) => None,
            Err(error) => {
                let parts = error.parts();
                parts
                    .errors
                    .first()
                    .cloned()
                    .map(|issue| (parts.status.as_u16(), issue))
            }
        }
    }

    #[test]
    fn parse_names_the_failing_field() {
        let cases = [
            ("{\"name\": \"a\"", 400, "body", "invalid_syntax"),
            (
                "{\"name\": \"a\", \"tags\": []}xx",
                400,
                "body",
                "invalid_syntax",
            ),
            ("", 400, "body", "invalid_syntax"),
            ("{\"tags\": []}", 422, "name", "required"),
            (
                "{\"name\": \"a\", \"tags\": [], \"admin\": true}",
                422,
                "admin",
                "unknown_field",
            ),
            ("{\"name\": 5, \"tags\": []}", 422, "name", "invalid_type"),
            (
                "{\"name\": \"a\", \"tags\": [1]}",
                422,
                "tags[0]",
                "invalid_type",
            ),
            ("[]", 422, "body", "invalid_type"),
            (
                "{\"name\": \"a\", \"name\": \"b\", \"tags\": []}",
                422,
                "name",
                "duplicate_field",
            ),
            (
                "{\"name\": \"a\\u0000b\", \"tags\": []}",
                422,
                "name",
                "null_character",
            ),
            (
                "{\"name\": \"a\", \"tags\": [\"x\", \"\\u0000\"]}",
                422,
                "tags[1]",
                "null_character",
            ),
        ];
        for (body, status, field, code) in cases {
            let expected = Some((status, FieldIssue::new(field, code)));
            assert_eq!(issue_of(body), expected, "{body}");
        }
    }

    #[test]
    fn parse_accepts_valid_body() {
        let parsed = parse::<Sample>(b"{\"name\": \"a\", \"tags\": [\"b\"]}");
        assert!(parsed.is_ok());
        // An escaped backslash before "u0000" is text, not U+0000.
        let escaped = parse::<Sample>(b"{\"name\": \"\\\\u0000\", \"tags\": []}");
        assert!(escaped.is_ok(), "{escaped:?}");
    }

    mod fuzz {
        use incert_contract::admin::{CertificateTypeUpdate, NewCertificateType, Withdrawal};
        use incert_contract::auth::{LoginRequest, OtherRegistrationRequest};
        use incert_contract::bankid::SwedishRegistrationRequest;
        use incert_contract::certification::ApplicationRequest;
        use proptest::prelude::*;
        use serde_json::Value;

        use super::super::parse;

        /// Checks that parsing `body` as `T` returns a value or a 400 or 422 problem.
        fn parses_or_rejects<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<(), String> {
            match parse::<T>(body) {
                Ok(_) => Ok(()),
                Err(error) => {
                    let status = error.parts().status.as_u16();
                    if status == 400 || status == 422 {
                        Ok(())
                    } else {
                        Err(format!(
                            "status {status} for {}",
                            String::from_utf8_lossy(body)
                        ))
                    }
                }
            }
        }

        fn check_every_request_type(body: &[u8]) -> Result<(), String> {
            parses_or_rejects::<OtherRegistrationRequest>(body)?;
            parses_or_rejects::<SwedishRegistrationRequest>(body)?;
            parses_or_rejects::<LoginRequest>(body)?;
            parses_or_rejects::<ApplicationRequest>(body)?;
            parses_or_rejects::<NewCertificateType>(body)?;
            parses_or_rejects::<CertificateTypeUpdate>(body)?;
            parses_or_rejects::<Withdrawal>(body)
        }

        /// JSON values of any shape, with the field names the request types use, so the
        /// generator reaches the type checks behind each known field.
        fn json_value() -> impl Strategy<Value = Value> {
            let key = prop_oneof![
                Just("email".to_owned()),
                Just("password".to_owned()),
                Just("personnummer".to_owned()),
                Just("certificate_type".to_owned()),
                Just("exam_parts".to_owned()),
                Just("validity_years".to_owned()),
                Just("birth_date".to_owned()),
                "[a-z_]{1,12}",
            ];
            let leaf = prop_oneof![
                Just(Value::Null),
                any::<bool>().prop_map(Value::from),
                any::<i64>().prop_map(Value::from),
                any::<f64>().prop_map(Value::from),
                any::<String>().prop_map(Value::from),
            ];
            leaf.prop_recursive(4, 64, 8, move |inner| {
                prop_oneof![
                    prop::collection::vec(inner.clone(), 0..6).prop_map(Value::from),
                    prop::collection::vec((key.clone(), inner), 0..8)
                        .prop_map(|entries| Value::Object(entries.into_iter().collect())),
                ]
            })
        }

        proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(body in prop::collection::vec(any::<u8>(), 0..512)) {
                prop_assert_eq!(check_every_request_type(&body), Ok(()));
            }

            #[test]
            fn arbitrary_json_never_panics(value in json_value()) {
                let body = value.to_string();
                prop_assert_eq!(check_every_request_type(body.as_bytes()), Ok(()));
            }
        }
    }
}
