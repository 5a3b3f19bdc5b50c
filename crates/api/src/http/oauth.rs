//! OAuth2 for examination centres: the token endpoint of the client credentials grant (RFC
//! 6749 section 4.4) and the [`CentreClient`] extractor that checks its tokens.

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::http::header::{AUTHORIZATION, CACHE_CONTROL, PRAGMA, WWW_AUTHENTICATE};
use actix_web::{FromRequest, HttpMessage as _, HttpRequest, HttpResponse, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD_PAD_INDIFFERENT;
use incert_contract::Problem;
use incert_contract::centre::{
    CentreTokenResponse, ClientCredentialsRequest, OAuthError, OAuthErrorCode,
};
use utoipa::Modify;
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityScheme,
};

use super::AppState;
use super::error::ApiError;
use crate::security::tokens::TokenError;
use crate::service::centre::tokens::{self, CENTRE_ROLE, CENTRE_SCOPE, GrantError};

/// Path of the token endpoint.
pub const TOKEN_PATH: &str = "/api/v1/oauth/token";

/// Largest accepted token request body. A grant has four short parameters.
pub const TOKEN_BODY_LIMIT: usize = 8 * 1024;

/// The caller of a centre operation: a valid centre access token whose client credentials
/// are not revoked. Tokens of people and staff receive 403 `forbidden`.
#[derive(Debug, Clone)]
pub struct CentreClient {
    /// Row id of the centre.
    pub centre_id: i64,
    pub centre_public_id: String,
    pub client_id: String,
}

impl FromRequest for CentreClient {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        let state = request.app_data::<web::Data<AppState>>().cloned();
        let token = bearer_token(request);
        Box::pin(async move {
            let state =
                state.ok_or_else(|| ApiError::Internal("application state missing".to_owned()))?;
            let token = token.ok_or(ApiError::AuthenticationRequired)?;
            let claims = state
                .token_issuer
                .verify(&token, state.clock.now())
                .map_err(|error| match error {
                    TokenError::Expired => ApiError::TokenExpired,
                    _ => ApiError::AuthenticationRequired,
                })?;
            if claims.role != CENTRE_ROLE {
                return Err(ApiError::Forbidden);
            }

            // Checked on every request, so revoked credentials stop working at once.
            tokens::active_client(&state, claims.sub, claims.sid)
                .await?
                .ok_or(ApiError::AuthenticationRequired)
        })
    }
}

fn bearer_token(request: &HttpRequest) -> Option<String> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_owned())
}

/// Declares the centres' OAuth2 client credentials flow and the HTTP Basic client
/// authentication of the token endpoint in the OpenAPI document.
#[derive(Debug)]
pub struct CentreSecuritySchemes;

impl Modify for CentreSecuritySchemes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "centre_token",
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new(
                    TOKEN_PATH,
                    Scopes::one(
                        CENTRE_SCOPE,
                        "Exam sessions, enrolments and results of the centre",
                    ),
                ))],
                "Access token of an examination centre, from the client credentials grant",
            )),
        );
        components.add_security_scheme(
            "client_basic",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "Client id and secret, each form-urlencoded, as HTTP Basic credentials",
                    ))
                    .build(),
            ),
        );
    }
}

/// A failed token request, sent in the error format of RFC 6749 section 5.2.
#[derive(Debug)]
struct OAuthFailure {
    code: OAuthErrorCode,
    description: &'static str,
}

impl OAuthFailure {
    fn new(code: OAuthErrorCode, description: &'static str) -> Self {
        Self { code, description }
    }

    fn invalid_request(description: &'static str) -> Self {
        Self::new(OAuthErrorCode::InvalidRequest, description)
    }

    fn invalid_client() -> Self {
        Self::new(
            OAuthErrorCode::InvalidClient,
            "Client authentication failed.",
        )
    }

    fn into_response(self) -> HttpResponse {
        tracing::debug!(error = ?self.code, reason = self.description, "rejected a token request");
        let mut response = if self.code == OAuthErrorCode::InvalidClient {
            let mut response = HttpResponse::build(StatusCode::UNAUTHORIZED);
            response.insert_header((WWW_AUTHENTICATE, "Basic realm=\"incert\""));
            response
        } else {
            HttpResponse::build(StatusCode::BAD_REQUEST)
        };
        response
            .insert_header((CACHE_CONTROL, "no-store"))
            .insert_header((PRAGMA, "no-cache"))
            .json(OAuthError {
                error: self.code,
                error_description: Some(self.description.to_owned()),
            })
    }
}

/// Decodes one `application/x-www-form-urlencoded` name or value: `+` is a space, then
/// percent escapes are decoded; the result must be UTF-8.
fn form_decode(encoded: &str) -> Option<String> {
    let spaced = encoded.replace('+', " ");
    percent_encoding::percent_decode_str(&spaced)
        .decode_utf8()
        .ok()
        .map(|decoded| decoded.into_owned())
}

/// Reads the form parameters. RFC 6749 section 3.2 forbids repeating a parameter.
fn form_parameters(body: &[u8]) -> Result<HashMap<String, String>, OAuthFailure> {
    let text = std::str::from_utf8(body)
        .map_err(|_| OAuthFailure::invalid_request("The body is not UTF-8."))?;
    let mut parameters = HashMap::new();
    for pair in text.split('&').filter(|pair| !pair.is_empty()) {
        let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
        let (Some(name), Some(value)) = (form_decode(name), form_decode(value)) else {
            return Err(OAuthFailure::invalid_request(
                "A parameter is not valid form encoding.",
            ));
        };
        if parameters.insert(name, value).is_some() {
            return Err(OAuthFailure::invalid_request(
                "A parameter is included more than once.",
            ));
        }
    }
    Ok(parameters)
}

/// Client id and secret from `Authorization: Basic`, each form-urlencoded inside the base64
/// (RFC 6749 section 2.3.1). None when the header is absent or uses another scheme.
fn basic_credentials(request: &HttpRequest) -> Option<Result<(String, String), OAuthFailure>> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = STANDARD_PAD_INDIFFERENT
        .decode(encoded.trim())
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .and_then(|text| {
            let (id, secret) = text.split_once(':')?;
            Some((form_decode(id)?, form_decode(secret)?))
        });
    Some(decoded.ok_or_else(OAuthFailure::invalid_client))
}

/// Checks the grant type and scope and returns the client's id and secret.
fn read_grant(request: &HttpRequest, body: &[u8]) -> Result<(String, String), OAuthFailure> {
    let is_form = request.mime_type().ok().flatten().is_some_and(|mime| {
        mime.type_() == "application" && mime.subtype() == "x-www-form-urlencoded"
    });
    if !is_form {
        return Err(OAuthFailure::invalid_request(
            "Send the body as application/x-www-form-urlencoded.",
        ));
    }
    let mut parameters = form_parameters(body)?;

    match parameters.get("grant_type").map(String::as_str) {
        None | Some("") => {
            return Err(OAuthFailure::invalid_request(
                "The grant_type parameter is missing.",
            ));
        }
        Some("client_credentials") => {}
        Some(_) => {
            return Err(OAuthFailure::new(
                OAuthErrorCode::UnsupportedGrantType,
                "Only the client_credentials grant type is supported.",
            ));
        }
    }
    if let Some(scope) = parameters.get("scope")
        && !scope
            .split(' ')
            .filter(|item| !item.is_empty())
            .all(|item| item == CENTRE_SCOPE)
    {
        return Err(OAuthFailure::new(
            OAuthErrorCode::InvalidScope,
            "The only scope is centre.",
        ));
    }

    let form_id = parameters.remove("client_id");
    let form_secret = parameters.remove("client_secret");
    match (basic_credentials(request), form_id, form_secret) {
        (Some(_), _, Some(_)) => Err(OAuthFailure::invalid_request(
            "Authenticate with HTTP Basic or with form parameters, not both.",
        )),
        (Some(basic), form_id, None) => {
            let (id, secret) = basic?;
            if form_id.is_some_and(|form_id| form_id != id) {
                return Err(OAuthFailure::invalid_request(
                    "The client_id parameter differs from the HTTP Basic client id.",
                ));
            }
            Ok((id, secret))
        }
        (None, Some(id), Some(secret)) => Ok((id, secret)),
        (None, _, _) => Err(OAuthFailure::invalid_client()),
    }
}

/// Issues an access token to an examination centre (OAuth2 client credentials grant).
///
/// The token is a JWT with role `centre`; its `sub` is the centre's public id and its `sid`
/// the client id. It works only on the `/api/v1/centre` operations, and only while the
/// credentials are not revoked. Errors other than 429 and 503 use the RFC 6749 section 5.2
/// format. Failed client authentications are counted per client address: after 20 within
/// 15 minutes the address receives 429 until 15 minutes have passed since the last one.
#[utoipa::path(
    post,
    path = "/api/v1/oauth/token",
    tag = "oauth",
    security((), ("client_basic" = [])),
    request_body(content = ClientCredentialsRequest, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "A centre access token; sent with `Cache-Control: no-store`", body = CentreTokenResponse),
        (status = 400, description = "`invalid_request` (missing, repeated or malformed parameter, two authentication methods), `unsupported_grant_type` or `invalid_scope`", body = OAuthError,
            example = json!({"error": "unsupported_grant_type", "error_description": "Only the client_credentials grant type is supported."})),
        (status = 401, description = "`invalid_client`: unknown client, wrong secret, revoked credentials or no client authentication; with `WWW-Authenticate: Basic`", body = OAuthError,
            example = json!({"error": "invalid_client", "error_description": "Client authentication failed."})),
        (status = 429, description = "Too many failed client authentications from this address; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn token(
    state: web::Data<AppState>,
    request: HttpRequest,
    body: web::Bytes,
) -> Result<HttpResponse, ApiError> {
    let (client_id, client_secret) = match read_grant(&request, &body) {
        Ok(credentials) => credentials,
        Err(failure) => return Ok(failure.into_response()),
    };
    let client_ip = super::client_ip(&request).map(|address| address.to_string());

    let issued = match tokens::grant(&state, client_id, client_secret, client_ip).await {
        Ok(issued) => issued,
        Err(GrantError::InvalidClient) => return Ok(OAuthFailure::invalid_client().into_response()),
        Err(GrantError::RateLimited { retry_after }) => {
            return Err(ApiError::RateLimited { retry_after });
        }
        Err(GrantError::Failed(error)) => return Err(error),
    };

    Ok(HttpResponse::Ok()
        .insert_header((CACHE_CONTROL, "no-store"))
        .insert_header((PRAGMA, "no-cache"))
        .json(CentreTokenResponse {
            access_token: issued.token,
            token_type: "Bearer".to_owned(),
            expires_in: state.token_issuer.lifetime().as_secs(),
            scope: CENTRE_SCOPE.to_owned(),
        }))
}
