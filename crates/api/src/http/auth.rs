//! Login, one-time codes, token refresh and logout.

use actix_web::cookie::{Cookie, SameSite};
use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::auth::{
    LoginChallenge, LoginCodeRequest, LoginRequest, PasswordResetAccepted,
    PasswordResetConfirmation, PasswordResetRequest, RefreshRequest, TokenResponse,
};

use super::AppState;
use super::error::ApiError;
use super::json::Json;
use super::origin;
use crate::service::login::{self, Tokens};
use crate::service::reset;

/// Name of the cookie that carries the refresh token to browsers.
pub const REFRESH_COOKIE: &str = "incert_refresh";
/// The cookie is only sent to the paths that use it.
const REFRESH_COOKIE_PATH: &str = "/api/v1/auth";

/// Checks email and password and emails a one-time code.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Password accepted; a code was emailed", body = LoginChallenge),
        (status = 401, description = "Wrong email or password (`invalid_credentials`); the response does not tell which", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Malformed email or empty password", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failures or codes, or too many logins from the client's address in progress; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn login(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    let challenge = login::start(&state, &body.email, body.password, origin).await?;

    Ok(HttpResponse::Ok().json(challenge))
}

/// Checks the emailed code and opens a session.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/{challenge_id}/code",
    tag = "auth",
    params(("challenge_id" = String, Path, description = "Id from the login response")),
    request_body = LoginCodeRequest,
    responses(
        (status = 200, description = "Logged in; the refresh token is set as an HttpOnly cookie", body = TokenResponse),
        (status = 401, description = "Wrong code (`invalid_login_code`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The challenge expired, was used, was replaced or had five wrong codes (`login_challenge_ended`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The code is not six digits", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn submit_code(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Json(body): Json<LoginCodeRequest>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    let tokens = login::verify_code(&state, path.into_inner(), body.code, origin).await?;

    Ok(token_response(&state, tokens, body.include_refresh_token))
}

/// Emails a new code for a login waiting for one.
#[utoipa::path(
    post,
    path = "/api/v1/auth/login/{challenge_id}/resend",
    tag = "auth",
    params(("challenge_id" = String, Path, description = "Id from the login response")),
    responses(
        (status = 200, description = "A new code was emailed; the old one no longer works", body = LoginChallenge),
        (status = 410, description = "The challenge has ended (`login_challenge_ended`)", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too early (`resend_too_early`) or too many codes this hour (`rate_limited`); see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn resend_code(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    let challenge = login::resend(&state, path.into_inner(), origin).await?;

    Ok(HttpResponse::Ok().json(challenge))
}

/// Exchanges the refresh token for new tokens.
#[utoipa::path(
    post,
    path = "/api/v1/auth/token/refresh",
    tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "New access token; the refresh token was replaced", body = TokenResponse),
        (status = 401, description = "Unknown, expired, revoked or reused refresh token (`invalid_refresh_token`); reuse also ends the session", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn refresh(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);
    let presented = presented_refresh_token(&request, body.refresh_token)
        .ok_or(ApiError::InvalidRefreshToken)?;

    let tokens = login::refresh(&state, &presented, origin).await?;

    Ok(token_response(&state, tokens, body.include_refresh_token))
}

/// Ends the session of the refresh token and clears its cookie.
#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Logged out (also when the session had already ended)")),
)]
pub async fn logout(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<RefreshRequest>,
) -> Result<HttpResponse, ApiError> {
    if let Some(presented) = presented_refresh_token(&request, body.refresh_token) {
        login::logout(&state, &presented).await?;
    }

    let mut removal = refresh_cookie(&state, String::new());
    removal.make_removal();
    Ok(HttpResponse::NoContent().cookie(removal).finish())
}

/// Returns the refresh token from the body, or else from the cookie.
fn presented_refresh_token(request: &HttpRequest, from_body: Option<String>) -> Option<String> {
    from_body
        .filter(|token| !token.is_empty())
        .or_else(|| {
            request
                .cookie(REFRESH_COOKIE)
                .map(|cookie| cookie.value().to_owned())
        })
        .filter(|token| !token.is_empty())
}

fn refresh_cookie(state: &AppState, value: String) -> Cookie<'static> {
    let max_age = i64::try_from(state.settings.session_days).unwrap_or(30) * 24 * 60 * 60;
    Cookie::build(REFRESH_COOKIE, value)
        .path(REFRESH_COOKIE_PATH)
        .http_only(true)
        .secure(state.settings.cookie_secure)
        .same_site(SameSite::Strict)
        .max_age(actix_web::cookie::time::Duration::seconds(max_age))
        .finish()
}

/// Builds the token response, with the refresh token as a cookie and, when requested, in the
/// body.
pub fn token_response(
    state: &AppState,
    tokens: Tokens,
    include_refresh_token: bool,
) -> HttpResponse {
    let expires_in = state.token_issuer.lifetime().as_secs();
    let cookie = refresh_cookie(state, tokens.refresh_token.clone());
    let body = TokenResponse {
        access_token: tokens.access.token,
        token_type: "Bearer".to_owned(),
        expires_in,
        scope: tokens.scope,
        refresh_token: include_refresh_token.then_some(tokens.refresh_token),
    };
    HttpResponse::Ok()
        .cookie(cookie)
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(body)
}

/// Emails a reset code when the address has an account. The response is the same either way.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset",
    tag = "auth",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Accepted; a code was emailed if the address has an account", body = PasswordResetAccepted),
        (status = 422, description = "Malformed email address", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn request_password_reset(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<PasswordResetRequest>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    reset::request(&state, &body.email, origin).await?;

    Ok(HttpResponse::Accepted().json(PasswordResetAccepted {
        next_step: "check_email".to_owned(),
        code_valid_minutes: reset::RESET_CODE_MINUTES,
    }))
}

/// Sets a new password with the emailed reset code and ends every session of the account.
#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset/confirm",
    tag = "auth",
    request_body = PasswordResetConfirmation,
    responses(
        (status = 204, description = "The password was changed; log in with it"),
        (status = 422, description = "Wrong or expired code (`reset_code_invalid` on `code`), or a new password that breaks the policy", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong codes; retry after `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn confirm_password_reset(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<PasswordResetConfirmation>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    reset::confirm(&state, body, origin).await?;

    Ok(HttpResponse::NoContent().finish())
}
