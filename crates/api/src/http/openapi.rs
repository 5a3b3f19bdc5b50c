//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use incert_contract::health::{DependencyState, Liveness, Readiness};
use incert_contract::password::{
    PasswordCheckRequest, PasswordCheckResponse, PasswordPolicyRules, PasswordStrength,
};
use incert_contract::{ErrorCode, FieldError, Problem};
use utoipa::OpenApi;

use super::{health, password};

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "IncertOnline API",
        description = "Self-service portal of a Swedish person-certification body. Every error \
            answer is an RFC 9457 `application/problem+json` body with a stable `code`; its \
            `title`, `detail` and field messages follow `Accept-Language` (Swedish by default, \
            English on request).",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        health::liveness,
        health::readiness,
        password::policy,
        password::check,
    ),
    components(schemas(
        Liveness, Readiness, DependencyState,
        PasswordPolicyRules, PasswordCheckRequest, PasswordCheckResponse, PasswordStrength,
        Problem, FieldError, ErrorCode,
    )),
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "passwords", description = "The password policy and strength checks"),
    ),
)]
pub struct ApiDoc;

/// Returns the document as pretty-printed JSON, as committed under `openapi/`.
pub fn to_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"))
}

/// Serves the OpenAPI document.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(to_json())
}
