//! The signed-in person's own account.

use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::account::{
    Billing, EmailChangeConfirmation, EmailChangeRequest, EmailChangeStarted, Me, MeUpdate,
    SessionSummary,
};
use incert_contract::auth::{PasswordChangeRequest, PreferredLanguage, TokenResponse};

use super::AppState;
use super::authentication::{Authenticated, FullAccess};
use super::error::ApiError;
use super::json::Json;
use super::origin;
use crate::service::{password, profile};
use crate::storage::accounts::{self, Account};
use crate::storage::audit::{self, event};
use crate::storage::{StorageError, sessions};

/// Returns the caller's account. Restricted tokens may read it too, so the web app can show
/// the name while asking for a new password.
#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's account", body = Me),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn get(
    state: web::Data<AppState>,
    caller: Authenticated,
) -> Result<HttpResponse, ApiError> {
    Ok(HttpResponse::Ok().json(me_view(&state, &caller.account)))
}

/// Builds the caller's view of an account, with the personnummer masked.
fn me_view(state: &AppState, account: &Account) -> Me {
    let personnummer_masked = account
        .personnummer
        .as_deref()
        .and_then(|sealed| state.personnummer_vault.open(sealed))
        .as_deref()
        .and_then(|stored| incert_domain::Personnummer::from_canonical(stored).ok())
        .map(|personnummer| personnummer.masked());
    Me {
        id: account.public_id.clone(),
        email: account.email.clone(),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        birth_date: account
            .birth_date
            .map(|date| date.format("%Y-%m-%d").to_string()),
        personnummer_masked,
        mobile: account.mobile.clone(),
        language: if account.language == "en" {
            PreferredLanguage::En
        } else {
            PreferredLanguage::Sv
        },
        role: account.role.clone(),
        must_change_password: account.must_change_password,
    }
}

/// Replaces the password. Works with the restricted token of a first login.
#[utoipa::path(
    put,
    path = "/api/v1/me/password",
    tag = "me",
    security(("bearer" = [])),
    request_body = PasswordChangeRequest,
    responses(
        (status = 200, description = "Changed; other sessions ended. A full access token for this session", body = TokenResponse),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong current password or a new password that breaks the policy; each rule named", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many wrong current passwords", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn change_password(
    state: web::Data<AppState>,
    request: HttpRequest,
    caller: Authenticated,
    body: Result<Json<PasswordChangeRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let tokens = password::change(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Ok()
        .insert_header((actix_web::http::header::CACHE_CONTROL, "no-store"))
        .json(TokenResponse {
            access_token: tokens.access.token,
            token_type: "Bearer".to_owned(),
            expires_in: state.token_issuer.lifetime().as_secs(),
            scope: tokens.scope,
            refresh_token: None,
        }))
}

/// Lists the caller's open sessions.
#[utoipa::path(
    get,
    path = "/api/v1/me/sessions",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Open sessions, newest first", body = [SessionSummary]),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The first-time password must be changed first (`password_change_required`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn sessions(
    state: web::Data<AppState>,
    FullAccess(caller): FullAccess,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.naive_now();
    let account_id = caller.account.id;

    let open = state
        .database
        .run(move |connection| {
            sessions::open_sessions(connection, account_id, now).map_err(StorageError::from)
        })
        .await?;

    let summaries: Vec<SessionSummary> = open
        .into_iter()
        .map(|session| SessionSummary {
            current: session.id == caller.session_id,
            id: session.id,
            created_at: session.created_at.and_utc(),
            last_used_at: session.last_used_at.and_utc(),
            expires_at: session.expires_at.and_utc(),
            user_agent: session.user_agent,
            ip_address: session.ip_address,
        })
        .collect();
    Ok(HttpResponse::Ok().json(summaries))
}

/// Ends one of the caller's sessions; its tokens stop working at once.
#[utoipa::path(
    delete,
    path = "/api/v1/me/sessions/{session_id}",
    tag = "me",
    security(("bearer" = [])),
    params(("session_id" = String, Path, description = "Id from the session list")),
    responses(
        (status = 204, description = "The session was ended"),
        (status = 404, description = "No open session of the caller has this id", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn revoke_session(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let now = state.clock.naive_now();
    let session_id = path.into_inner();
    let public_id = caller.public_id.clone();
    let origin = origin(&request);

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = accounts::find_by_public_id(transaction, &public_id)?
                    .ok_or(ApiError::AuthenticationRequired)?;
                let owned =
                    sessions::find_session(transaction, &session_id)?.is_some_and(|session| {
                        session.account_id == account.id && session.revoked_at.is_none()
                    });
                if !owned {
                    return Err(ApiError::NotFound);
                }
                sessions::revoke_session(
                    transaction,
                    &session_id,
                    sessions::revoke_reason::REVOKED_BY_USER,
                    now,
                )?;
                audit::record(
                    transaction,
                    event::SESSION_REVOKED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok(())
            })
        })
        .await?;

    Ok(HttpResponse::NoContent().finish())
}

/// Changes names, mobile number or language; fields left out stay as they are.
#[utoipa::path(
    patch,
    path = "/api/v1/me",
    tag = "me",
    security(("bearer" = [])),
    request_body = MeUpdate,
    responses(
        (status = 200, description = "The updated account", body = Me),
        (status = 403, description = "The first-time password must be changed first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    body: Result<Json<MeUpdate>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let account = profile::update_details(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Ok().json(me_view(&state, &account)))
}

/// Returns the billing details.
#[utoipa::path(
    get,
    path = "/api/v1/me/billing",
    tag = "me",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Billing details; by email to the login address until saved", body = Billing),
        (status = 403, description = "The first-time password must be changed first", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn billing(
    state: web::Data<AppState>,
    FullAccess(caller): FullAccess,
) -> Result<HttpResponse, ApiError> {
    let billing = profile::billing(&state, &caller).await?;
    Ok(HttpResponse::Ok().json(billing))
}

/// Replaces the billing details.
#[utoipa::path(
    put,
    path = "/api/v1/me/billing",
    tag = "me",
    security(("bearer" = [])),
    request_body = Billing,
    responses(
        (status = 200, description = "The stored billing details", body = Billing),
        (status = 422, description = "Invalid fields, each named (nested ones as `address.postal_code`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn replace_billing(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    body: Result<Json<Billing>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let stored = profile::replace_billing(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Ok().json(stored))
}

/// Emails a confirmation code to a new login address.
#[utoipa::path(
    post,
    path = "/api/v1/me/email",
    tag = "me",
    security(("bearer" = [])),
    request_body = EmailChangeRequest,
    responses(
        (status = 202, description = "A code was sent to the new address", body = EmailChangeStarted),
        (status = 422, description = "Invalid address, or the current one", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn start_email_change(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    body: Result<Json<EmailChangeRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    profile::start_email_change(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Accepted().json(EmailChangeStarted {
        code_valid_minutes: profile::EMAIL_CHANGE_MINUTES,
    }))
}

/// Confirms the new login address with the emailed code.
#[utoipa::path(
    post,
    path = "/api/v1/me/email/confirm",
    tag = "me",
    security(("bearer" = [])),
    request_body = EmailChangeConfirmation,
    responses(
        (status = 204, description = "The login address was changed; the old address was told"),
        (status = 409, description = "Another account took the address meanwhile (`email_taken`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Wrong or expired code", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn confirm_email_change(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    body: Result<Json<EmailChangeConfirmation>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    profile::confirm_email_change(&state, &caller, body.code, origin).await?;

    Ok(HttpResponse::NoContent().finish())
}
