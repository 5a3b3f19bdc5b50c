//! Registration with a Swedish personnummer through a BankID signature, and login with
//! BankID.

use std::net::{IpAddr, Ipv4Addr};

use actix_web::{HttpRequest, HttpResponse, web};
use incert_bankid::launch::DeviceKind;
use incert_contract::Problem;
use incert_contract::auth::TokenResponse;
use incert_contract::bankid::{
    BankIdLoginRequest, BankIdOrderStarted, BankIdOrderState, BankIdTokenRequest,
    SwedishRegistrationRequest,
};

use super::AppState;
use super::auth::token_response;
use super::error::ApiError;
use super::json::Json;
use super::origin;
use crate::i18n::Language;
use crate::service::bankid::{self, OrderPurpose, Viewer};
use crate::service::today_in_sweden;

/// Starts the registration of a person with a Swedish personnummer: validates the fields and
/// starts a BankID sign order that only the holder of the personnummer can sign.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/swedish",
    tag = "registrations",
    request_body = SwedishRegistrationRequest,
    responses(
        (status = 201, description = "The BankID order was started; poll its state", body = BankIdOrderStarted),
        (status = 409, description = "BankID already has an order in progress for the person (`bankid_already_in_progress`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "BankID is unavailable", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn register_swedish(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<SwedishRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = today_in_sweden(state.clock.now());
    let registration = bankid::validate_swedish(body, today)?;
    let started = bankid::start_registration(&state, registration, end_user_ip(&request)).await?;
    Ok(HttpResponse::Created().json(started))
}

/// Returns the state of a registration's BankID order, after collecting it from BankID.
#[utoipa::path(
    get,
    path = "/api/v1/registrations/swedish/{id}",
    tag = "registrations",
    params(("id" = String, Path, description = "Id returned when the order was started")),
    responses(
        (status = 200, description = "The order's state. Poll about once a second while it is pending.", body = BankIdOrderState),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn registration_status(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = bankid::poll_order(
        &state,
        OrderPurpose::Registration,
        &path,
        viewer(&request),
        origin(&request),
    )
    .await?;
    Ok(HttpResponse::Ok().json(order))
}

/// Cancels a registration's BankID order.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/swedish/{id}/cancel",
    tag = "registrations",
    params(("id" = String, Path, description = "Id returned when the order was started")),
    responses(
        (status = 200, description = "The order's state: `cancelled`, or the final state it had already reached", body = BankIdOrderState),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "BankID is unavailable", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn cancel_registration(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order =
        bankid::cancel_order(&state, OrderPurpose::Registration, &path, viewer(&request)).await?;
    Ok(HttpResponse::Ok().json(order))
}

/// Starts a login with BankID on this or another device. Any account with a personnummer
/// can log in this way.
#[utoipa::path(
    post,
    path = "/api/v1/auth/bankid",
    tag = "auth",
    request_body = BankIdLoginRequest,
    responses(
        (status = 201, description = "The BankID order was started; poll its state", body = BankIdOrderStarted),
        (status = 409, description = "BankID already has an order in progress for the person (`bankid_already_in_progress`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid body", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "BankID is unavailable", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn start_login(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<BankIdLoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let language = viewer(&request).language;

    let started = bankid::start_login(&state, body.device, language, end_user_ip(&request)).await?;

    Ok(HttpResponse::Created().json(started))
}

/// Returns the state of a login's BankID order, after collecting it from BankID.
#[utoipa::path(
    get,
    path = "/api/v1/auth/bankid/{id}",
    tag = "auth",
    params(("id" = String, Path, description = "Id returned when the order was started")),
    responses(
        (status = 200, description = "The order's state. Poll about once a second while it is pending. Once it is `complete`, fetch the tokens; `failed` with `bankid_no_account` means no account has the person's personnummer.", body = BankIdOrderState),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn login_status(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = bankid::poll_order(
        &state,
        OrderPurpose::Login,
        &path,
        viewer(&request),
        origin(&request),
    )
    .await?;
    Ok(HttpResponse::Ok().json(order))
}

/// Cancels a login's BankID order.
#[utoipa::path(
    post,
    path = "/api/v1/auth/bankid/{id}/cancel",
    tag = "auth",
    params(("id" = String, Path, description = "Id returned when the order was started")),
    responses(
        (status = 200, description = "The order's state: `cancelled`, or the final state it had already reached", body = BankIdOrderState),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 503, description = "BankID is unavailable", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn cancel_login(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let order = bankid::cancel_order(&state, OrderPurpose::Login, &path, viewer(&request)).await?;
    Ok(HttpResponse::Ok().json(order))
}

/// Opens a session for a completed BankID login, like a login with an emailed code.
#[utoipa::path(
    post,
    path = "/api/v1/auth/bankid/{id}/tokens",
    tag = "auth",
    params(("id" = String, Path, description = "Id returned when the order was started")),
    request_body = BankIdTokenRequest,
    responses(
        (status = 200, description = "Logged in; the refresh token is set as an HttpOnly cookie. The scope is `password_change` while the account has its first-time password.", body = TokenResponse),
        (status = 404, description = "No such order", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order has not been seen to complete: poll its state until it is `complete` first (`bankid_order_not_complete`)", body = Problem, content_type = "application/problem+json"),
        (status = 410, description = "The order failed or was cancelled, its tokens were already fetched, or it completed more than five minutes ago (`login_challenge_ended`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn login_tokens(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
    Json(body): Json<BankIdTokenRequest>,
) -> Result<HttpResponse, ApiError> {
    let tokens = bankid::fetch_login_tokens(&state, &path, origin(&request)).await?;

    Ok(token_response(&state, tokens, body.include_refresh_token))
}

/// Returns the end user's IP address that is sent to BankID as `endUserIp`.
fn end_user_ip(request: &HttpRequest) -> IpAddr {
    super::client_ip(request).unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST))
}

/// The language and the kind of device of the request, from its headers.
fn viewer(request: &HttpRequest) -> Viewer {
    let header = |name: actix_web::http::header::HeaderName| {
        request
            .headers()
            .get(name)
            .and_then(|value| value.to_str().ok())
    };
    let language = Language::from_accept_language(header(actix_web::http::header::ACCEPT_LANGUAGE));
    // Browsers on phones and tablets put "Mobi" in their User-Agent.
    let mobile =
        header(actix_web::http::header::USER_AGENT).is_some_and(|agent| agent.contains("Mobi"));
    Viewer {
        language,
        device: if mobile {
            DeviceKind::Mobile
        } else {
            DeviceKind::Desktop
        },
    }
}
