//! Extractors for signed-in callers, from the `Authorization: Bearer` access token.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{FromRequest, HttpRequest, web};

use super::AppState;
use super::error::ApiError;
use crate::security::tokens::{TokenError, TokenScope};
use crate::storage::accounts::Account;
use crate::storage::{StorageError, sessions};

/// A caller with a valid access token whose session is still open. Restricted tokens, issued
/// until the first-time password is replaced, are accepted too: use [`FullAccess`] for every
/// operation except the password change and reading one's own account.
#[derive(Debug, Clone)]
pub struct Authenticated {
    pub public_id: String,
    pub session_id: String,
    pub role: String,
    pub scope: TokenScope,
    /// The account as it was when the session was checked. A handler that changes the
    /// account reads it again inside its own transaction.
    pub account: Arc<Account>,
}

impl FromRequest for Authenticated {
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

            // A revoked session ends its access tokens at once, not only when they expire.
            // The same query reads the caller's account, so a handler that only reads it
            // needs no query of its own.
            let (session_id, public_id) = (claims.sid.clone(), claims.sub.clone());
            let now = state.clock.naive_now();
            let account = state
                .database
                .run(move |connection| {
                    sessions::open_session_account(connection, &session_id, &public_id, now)
                        .map_err(StorageError::from)
                })
                .await?
                .ok_or(ApiError::AuthenticationRequired)?;

            Ok(Self {
                public_id: claims.sub,
                session_id: claims.sid,
                // The stored role, so a changed role counts at once rather than when the
                // token expires.
                role: account.role.clone(),
                scope: claims.scope,
                account: Arc::new(account),
            })
        })
    }
}

fn bearer_token(request: &HttpRequest) -> Option<String> {
    let value = request.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    (scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty())
        .then(|| token.trim().to_owned())
}

/// A caller whose token allows everything its role allows; a restricted token is answered
/// with 403 `password_change_required`.
#[derive(Debug, Clone)]
pub struct FullAccess(pub Authenticated);

impl FromRequest for FullAccess {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let authenticated = Authenticated::from_request(request, payload);
        Box::pin(async move {
            let caller = authenticated.await?;
            match caller.scope {
                TokenScope::Full => Ok(Self(caller)),
                TokenScope::PasswordChange => Err(ApiError::PasswordChangeRequired),
            }
        })
    }
}

/// Roles of certification-body staff that decide applications and issue certificates.
pub const CASE_OFFICER_ROLES: [&str; 2] = ["case_officer", "administrator"];

/// The role that also manages the catalogue, examination centres and their credentials.
pub const ADMINISTRATOR_ROLE: &str = "administrator";

/// Extracts a caller with full access whose role is one of `allowed`. Other roles get 403
/// `forbidden`.
fn with_role(
    request: &HttpRequest,
    payload: &mut Payload,
    allowed: &'static [&'static str],
) -> Pin<Box<dyn Future<Output = Result<Authenticated, ApiError>>>> {
    let caller = FullAccess::from_request(request, payload);
    Box::pin(async move {
        let FullAccess(caller) = caller.await?;
        if allowed.contains(&caller.role.as_str()) {
            Ok(caller)
        } else {
            Err(ApiError::Forbidden)
        }
    })
}

/// A staff member who may decide applications: a case officer or an administrator.
#[derive(Debug, Clone)]
pub struct CaseOfficer(pub Authenticated);

impl FromRequest for CaseOfficer {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = with_role(request, payload, &CASE_OFFICER_ROLES);
        Box::pin(async move { caller.await.map(Self) })
    }
}

/// An administrator, who manages the catalogue, examination centres and their credentials.
#[derive(Debug, Clone)]
pub struct Administrator(pub Authenticated);

impl FromRequest for Administrator {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(request: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let caller = with_role(request, payload, &[ADMINISTRATOR_ROLE]);
        Box::pin(async move { caller.await.map(Self) })
    }
}
