//! Registration of personal accounts.

use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::auth::{OtherRegistrationRequest, RegistrationAccepted};

use super::AppState;
use super::error::ApiError;
use super::json::Json;
use super::origin;
use crate::service::registration;
use crate::service::today_in_sweden;

/// Registers a person without a Swedish personnummer and emails a first-time password.
#[utoipa::path(
    post,
    path = "/api/v1/registrations/other",
    tag = "registrations",
    request_body = OtherRegistrationRequest,
    responses(
        (status = 202, description = "Accepted. The same answer is given when the email already has an account; \
            its owner is emailed instead of a new account being made.", body = RegistrationAccepted),
        (status = 422, description = "Invalid fields, each named in `errors`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn register_other(
    state: web::Data<AppState>,
    request: HttpRequest,
    Json(body): Json<OtherRegistrationRequest>,
) -> Result<HttpResponse, ApiError> {
    let today = today_in_sweden(state.clock.now());
    let registration = registration::validate_other(body, today)?;
    let origin = origin(&request);

    registration::register_other(&state, registration, origin).await?;

    Ok(HttpResponse::Accepted().json(RegistrationAccepted {
        next_step: "check_email".to_owned(),
    }))
}
