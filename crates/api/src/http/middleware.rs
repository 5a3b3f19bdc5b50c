//! Request-wide middleware: a request id with one log line per request, and localised
//! problem answers.

use std::time::Instant;

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, COOKIE, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage};
use tracing::Instrument;

use super::error::{ApiError, FieldIssue};
use crate::i18n::Language;

/// Header that carries the request id back to the client.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// Id of one request, for log lines and support questions.
#[derive(Debug, Clone)]
pub struct RequestId(pub String);

/// Gives each request an id, runs it inside a tracing span that carries the id, and logs one
/// line when it finishes. The query string is left out because it is not needed to follow a
/// request and could carry personal data.
pub async fn trace_requests(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let request_id = uuid::Uuid::new_v4().simple().to_string();
    request
        .extensions_mut()
        .insert(RequestId(request_id.clone()));
    let span = tracing::info_span!(
        "request",
        id = %request_id,
        method = %request.method(),
        path = %request.path(),
    );
    let started = Instant::now();

    let outcome = next.call(request).instrument(span.clone()).await;

    let elapsed_ms = started.elapsed().as_millis();
    let _entered = span.enter();
    match outcome {
        Ok(mut response) => {
            let status = response.status().as_u16();
            tracing::info!(status, elapsed_ms, "request finished");
            if let Ok(value) = HeaderValue::from_str(&request_id) {
                response
                    .headers_mut()
                    .insert(HeaderName::from_static(REQUEST_ID_HEADER), value);
            }
            Ok(response)
        }
        Err(error) => {
            tracing::info!(
                status = error.as_response_error().status_code().as_u16(),
                elapsed_ms,
                "request failed"
            );
            Err(error)
        }
    }
}

/// Renders every [`ApiError`] answer again in the request's language, with its request id.
pub async fn localize_problems(
    request: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let language = Language::from_request(request.request());
    let request_id = request
        .extensions()
        .get::<RequestId>()
        .map(|id| id.0.clone());

    let response = next.call(request).await?;

    let parts = response
        .response()
        .error()
        .and_then(|error| error.as_error::<ApiError>())
        .map(ApiError::parts);
    match parts {
        None => Ok(response.map_into_left_body()),
        Some(parts) => {
            let (request, _) = response.into_parts();
            let localized = parts.to_response(language, request_id);
            Ok(ServiceResponse::new(request, localized).map_into_right_body())
        }
    }
}

/// Rejects U+0000 in the path or the query string before any handler runs, because
/// PostgreSQL rejects it in text. A path gets 404, since no resource has such a name. A query
/// string gets 422 naming the parameter.
pub async fn reject_null_characters(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<EitherBody<impl MessageBody>>, Error> {
    let encodes_null = |text: &str| text.contains("%00");
    let rejection = if encodes_null(request.path()) {
        Some(ApiError::NotFound)
    } else {
        request
            .query_string()
            .split('&')
            .find(|pair| encodes_null(pair))
            .map(|pair| {
                let name = pair.split('=').next().unwrap_or_default();
                let is_plain = !name.is_empty()
                    && name
                        .bytes()
                        .all(|byte| byte.is_ascii_alphanumeric() || byte == b'_');
                let field = if is_plain { name } else { "query" };
                ApiError::Validation(vec![FieldIssue::new(field, "null_character")])
            })
    };

    match rejection {
        None => Ok(next.call(request).await?.map_into_left_body()),
        Some(error) => {
            let (request, _) = request.into_parts();
            Ok(ServiceResponse::from_err(error, request).map_into_right_body())
        }
    }
}

/// Sets `Cache-Control: no-store` on every response to a request with credentials, unless the
/// handler set its own, so personal data does not stay in browser or proxy caches.
pub async fn no_store_with_credentials(
    request: ServiceRequest,
    next: Next<impl MessageBody>,
) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let has_credentials =
        request.headers().contains_key(AUTHORIZATION) || request.headers().contains_key(COOKIE);

    let mut response = next.call(request).await?;

    if has_credentials && !response.headers().contains_key(CACHE_CONTROL) {
        response
            .headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}
