//! The password policy and the strength check the web app calls while a person types a new
//! password. Running zxcvbn on the server keeps its dictionaries out of the web app's bundle.

use actix_web::{HttpResponse, web};
use incert_contract::Problem;
use incert_contract::password::{
    PasswordCheckRequest, PasswordCheckResponse, PasswordPolicyRules, PasswordStrength,
};

use super::AppState;
use super::error::ApiError;
use super::json::Json;

/// Returns the rules every new password must meet.
#[utoipa::path(
    get,
    path = "/api/v1/password-policy",
    tag = "passwords",
    responses((status = 200, description = "The password rules", body = PasswordPolicyRules)),
)]
pub async fn policy(state: web::Data<AppState>) -> HttpResponse {
    let policy = &state.password_policy;
    HttpResponse::Ok().json(PasswordPolicyRules {
        min_length: u32::try_from(policy.min_chars()).unwrap_or(u32::MAX),
        max_length: u32::try_from(policy.max_chars()).unwrap_or(u32::MAX),
        requires_letter: true,
        requires_digit: true,
        rejects_common_passwords: true,
    })
}

/// Checks a candidate password against the policy and estimates its strength. Nothing is
/// stored or logged.
#[utoipa::path(
    post,
    path = "/api/v1/password-checks",
    tag = "passwords",
    request_body = PasswordCheckRequest,
    responses(
        (status = 200, description = "The rules the password breaks and its strength", body = PasswordCheckResponse),
        (status = 400, description = "Malformed JSON", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "Body too large", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "Body is not JSON", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing, unknown or mistyped field", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn check(
    state: web::Data<AppState>,
    Json(request): Json<PasswordCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    // zxcvbn takes milliseconds on long inputs, so it runs off the async workers.
    let policy = state.password_policy.clone();
    let PasswordCheckRequest {
        password,
        user_inputs,
    } = request;
    let report = web::block(move || {
        let inputs: Vec<&str> = user_inputs.iter().map(String::as_str).collect();
        policy.check(&password, &inputs)
    })
    .await
    .map_err(|error| ApiError::Internal(error.to_string()))?;

    let strength = &report.strength;
    Ok(HttpResponse::Ok().json(PasswordCheckResponse {
        acceptable: report.is_acceptable(),
        violations: report
            .violations
            .iter()
            .map(|violation| violation.code().to_owned())
            .collect(),
        strength: PasswordStrength {
            score: strength.score,
            warning: strength.warning.map(|warning| warning.code().to_owned()),
            suggestions: strength
                .suggestions
                .iter()
                .map(|suggestion| suggestion.code().to_owned())
                .collect(),
        },
    }))
}
