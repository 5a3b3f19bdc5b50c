//! The HTTP interface: routes, shared state and request-wide behaviour.

pub mod admin;
pub mod auth;
pub mod authentication;
pub mod bankid;
pub mod centre;
pub mod certification;
pub mod docs;
pub mod error;
pub mod health;
pub mod json;
pub mod me;
pub mod messages;
pub mod middleware;
pub mod oauth;
pub mod openapi;
pub mod password;
pub mod query;
pub mod registrations;
pub mod web_app;

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, web};
use incert_domain::PasswordPolicy;

use self::error::ApiError;
use self::json::BodyLimit;
use crate::clock::Clock;
use crate::config::Settings;
use crate::mail::Mailer;
use crate::security::passwords::PasswordHasher;
use crate::security::secrets::CodeHasher;
use crate::security::tokens::TokenIssuer;
use crate::storage::Database;
use crate::storage::audit::Origin;

/// State shared by every handler.
#[derive(Debug)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub database: Database,
    pub mailer: Mailer,
    pub password_policy: PasswordPolicy,
    pub clock: Clock,
    pub password_hasher: PasswordHasher,
    /// The catalogue as certificate lists last read it.
    pub catalogue_cache: crate::service::certification::catalogue::CatalogueCache,
    /// Logins whose password check is in progress, per client address.
    pub pending_password_checks: crate::security::pending::PendingChecks,
    pub token_issuer: TokenIssuer,
    pub code_hasher: CodeHasher,
    pub personnummer_vault: crate::security::vault::PersonnummerVault,
    /// The BankID client and, in `simulator` mode, the simulator it calls.
    pub bankid: crate::service::bankid::BankId,
}

/// Registers every route of the application. The server and the tests share it.
pub fn configure(state: web::Data<AppState>) -> impl FnOnce(&mut web::ServiceConfig) {
    move |config: &mut web::ServiceConfig| {
        let body_limit = BodyLimit(state.settings.max_body_bytes);
        config
            .app_data(state)
            .app_data(web::Data::new(body_limit))
            .service(resource("/healthz", Method::GET, health::liveness))
            .service(resource("/readyz", Method::GET, health::readiness))
            .service(resource(
                "/api/v1/openapi.json",
                Method::GET,
                openapi::document,
            ))
            .service(resource("/api/docs", Method::GET, docs::reference))
            .service(resource(
                "/api/v1/password-policy",
                Method::GET,
                password::policy,
            ))
            .service(resource(
                "/api/v1/password-checks",
                Method::POST,
                password::check,
            ))
            .service(resource(
                "/api/v1/registrations/other",
                Method::POST,
                registrations::register_other,
            ))
            .service(resource(
                "/api/v1/registrations/swedish",
                Method::POST,
                bankid::register_swedish,
            ))
            .service(resource(
                "/api/v1/registrations/swedish/{id}",
                Method::GET,
                bankid::registration_status,
            ))
            .service(resource(
                "/api/v1/registrations/swedish/{id}/cancel",
                Method::POST,
                bankid::cancel_registration,
            ))
            .service(resource("/api/v1/auth/login", Method::POST, auth::login))
            .service(resource(
                "/api/v1/auth/bankid",
                Method::POST,
                bankid::start_login,
            ))
            .service(resource(
                "/api/v1/auth/bankid/{id}",
                Method::GET,
                bankid::login_status,
            ))
            .service(resource(
                "/api/v1/auth/bankid/{id}/cancel",
                Method::POST,
                bankid::cancel_login,
            ))
            .service(resource(
                "/api/v1/auth/bankid/{id}/tokens",
                Method::POST,
                bankid::login_tokens,
            ))
            .service(resource(
                "/api/v1/auth/login/{challenge_id}/code",
                Method::POST,
                auth::submit_code,
            ))
            .service(resource(
                "/api/v1/auth/login/{challenge_id}/resend",
                Method::POST,
                auth::resend_code,
            ))
            .service(resource(
                "/api/v1/auth/token/refresh",
                Method::POST,
                auth::refresh,
            ))
            .service(resource("/api/v1/auth/logout", Method::POST, auth::logout))
            .service(resource(
                "/api/v1/auth/password-reset",
                Method::POST,
                auth::request_password_reset,
            ))
            .service(resource(
                "/api/v1/auth/password-reset/confirm",
                Method::POST,
                auth::confirm_password_reset,
            ))
            .service(reject_other_methods(
                web::resource("/api/v1/me")
                    .route(web::get().to(me::get))
                    .route(web::head().to(me::get))
                    .route(web::patch().to(me::update)),
                "GET, HEAD, PATCH",
            ))
            .service(reject_other_methods(
                web::resource("/api/v1/me/billing")
                    .route(web::get().to(me::billing))
                    .route(web::head().to(me::billing))
                    .route(web::put().to(me::replace_billing)),
                "GET, HEAD, PUT",
            ))
            .service(resource(
                "/api/v1/me/email",
                Method::POST,
                me::start_email_change,
            ))
            .service(resource(
                "/api/v1/me/email/confirm",
                Method::POST,
                me::confirm_email_change,
            ))
            .service(resource(
                "/api/v1/me/password",
                Method::PUT,
                me::change_password,
            ))
            .service(resource("/api/v1/me/sessions", Method::GET, me::sessions))
            .service(resource(
                "/api/v1/me/sessions/{session_id}",
                Method::DELETE,
                me::revoke_session,
            ))
            .configure(certification::routes)
            .configure(admin::routes)
            .configure(centre::routes)
            // The web app, with the problem+json 404 for everything it does not serve.
            .default_service(web::to(web_app::serve));
    }
}

/// Rejects the methods a resource lacks with a 405 problem listing `allowed`.
fn reject_other_methods(
    resource: actix_web::Resource,
    allowed: &'static str,
) -> actix_web::Resource {
    resource.default_service(web::to(move || async move {
        Err::<HttpResponse, _>(ApiError::MethodNotAllowed {
            allowed: allowed.to_owned(),
        })
    }))
}

/// A resource served by `handler` for `method` (and HEAD for GET), rejecting other methods
/// with a 405 problem that lists the allowed ones.
fn resource<F, Args>(path: &str, method: Method, handler: F) -> actix_web::Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    // A GET resource also serves HEAD, with the same headers and no body.
    let with_head = method == Method::GET;
    let allowed = if with_head {
        "GET, HEAD".to_owned()
    } else {
        method.to_string()
    };
    let mut resource = web::resource(path).route(web::route().method(method).to(handler.clone()));
    if with_head {
        resource = resource.route(web::head().to(handler));
    }
    resource.default_service(web::to(move || {
        let allowed = allowed.clone();
        async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allowed }) }
    }))
}

/// Returns the address of the client. Behind a proxy listed in `trusted_proxies`, that is
/// the rightmost address of `X-Forwarded-For` that is not itself a trusted proxy; otherwise
/// the peer address, whatever the header contains, because anyone can send it.
pub fn client_ip(request: &actix_web::HttpRequest) -> Option<std::net::IpAddr> {
    let peer = request.peer_addr().map(|address| address.ip())?;
    let trusted = request
        .app_data::<web::Data<AppState>>()
        .map(|state| state.settings.trusted_proxies.clone())
        .unwrap_or_default();
    if !trusted.contains(&peer) {
        return Some(peer);
    }
    let forwarded = request
        .headers()
        .get_all("x-forwarded-for")
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .filter_map(|entry| entry.trim().parse::<std::net::IpAddr>().ok())
        .collect::<Vec<_>>();
    let client = forwarded
        .into_iter()
        .rev()
        .find(|address| !trusted.contains(address));
    Some(client.unwrap_or(peer))
}

/// Returns where a request came from, for the audit log and throttling.
pub fn origin(request: &actix_web::HttpRequest) -> Origin {
    let user_agent = request
        .headers()
        .get(actix_web::http::header::USER_AGENT)
        .and_then(|value| value.to_str().ok())
        .map(|agent| agent.chars().take(300).collect());
    Origin {
        ip_address: client_ip(request).map(|address| address.to_string()),
        user_agent,
    }
}
