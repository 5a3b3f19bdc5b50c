//! The HTTP interface: routes, shared state and request-wide behaviour.

pub mod docs;
pub mod error;
pub mod health;
pub mod json;
pub mod messages;
pub mod middleware;
pub mod openapi;
pub mod password;

use std::sync::Arc;

use actix_web::http::Method;
use actix_web::{FromRequest, Handler, HttpResponse, Responder, web};
use incert_domain::PasswordPolicy;

use self::error::ApiError;
use self::json::BodyLimit;
use crate::config::Settings;
use crate::mail::Mailer;
use crate::storage::Database;

/// State shared by every handler.
#[derive(Debug)]
pub struct AppState {
    pub settings: Arc<Settings>,
    pub database: Database,
    pub mailer: Mailer,
    pub password_policy: PasswordPolicy,
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
            .default_service(web::to(not_found));
    }
}

/// A resource served by `handler` for `method`, answering other methods with a 405 problem
/// that lists the allowed one.
fn resource<F, Args>(path: &str, method: Method, handler: F) -> actix_web::Resource
where
    F: Handler<Args>,
    Args: FromRequest + 'static,
    F::Output: Responder + 'static,
{
    let allowed = method.to_string();
    web::resource(path)
        .route(web::route().method(method).to(handler))
        .default_service(web::to(move || {
            let allowed = allowed.clone();
            async move { Err::<HttpResponse, _>(ApiError::MethodNotAllowed { allowed }) }
        }))
}

async fn not_found() -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound)
}
