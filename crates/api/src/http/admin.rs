//! The staff API under `/api/v1/admin`: the application queue and decisions, certificate
//! withdrawal, the catalogue and certificate administrators.

use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::admin::{
    ApplicationDecision, ApplicationPage, ApplicationQuery, CertificateAdministratorRequest,
    CertificateTypeUpdate, NewCertificateType, StaffApplication, Withdrawal,
};
use incert_contract::certification::{Certificate, CertificateType, TechnicalArea};

use super::authentication::{Administrator, CaseOfficer};
use super::error::ApiError;
use super::json::Json;
use super::query::Query;
use super::{AppState, origin, reject_other_methods, resource};
use crate::service::certification::{catalogue, decisions};

/// Registers the staff routes.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(resource(
            "/api/v1/admin/applications",
            Method::GET,
            list_applications,
        ))
        .service(resource(
            "/api/v1/admin/applications/{id}",
            Method::GET,
            application,
        ))
        .service(resource(
            "/api/v1/admin/applications/{id}/approve",
            Method::POST,
            approve,
        ))
        .service(resource(
            "/api/v1/admin/applications/{id}/reject",
            Method::POST,
            reject,
        ))
        .service(resource(
            "/api/v1/admin/certificates/{number}/withdraw",
            Method::POST,
            withdraw_certificate,
        ))
        .service(reject_other_methods(
            web::resource("/api/v1/admin/certificate-types")
                .route(web::get().to(list_types))
                .route(web::head().to(list_types))
                .route(web::post().to(create_type)),
            "GET, HEAD, POST",
        ))
        .service(resource(
            "/api/v1/admin/certificate-types/{code}",
            Method::PATCH,
            update_type,
        ))
        .service(resource(
            "/api/v1/admin/certificate-administrators",
            Method::POST,
            add_administrator,
        ));
}

/// Lists applications, oldest first, filtered by state, type and applicant.
#[utoipa::path(
    get,
    path = "/api/v1/admin/applications",
    tag = "admin",
    security(("bearer" = [])),
    params(ApplicationQuery),
    responses(
        (status = 200, description = "One page of applications with their applicants", body = ApplicationPage),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_applications(
    state: web::Data<AppState>,
    _officer: CaseOfficer,
    query: Query<ApplicationQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = decisions::search(&state, query.into_inner()).await?;
    Ok(HttpResponse::Ok().json(page))
}

/// Returns one application with its applicant and exam results.
#[utoipa::path(
    get,
    path = "/api/v1/admin/applications/{id}",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id of the application")),
    responses(
        (status = 200, description = "The application", body = StaffApplication),
        (status = 403, description = "The caller is not staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No application has this id", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn application(
    state: web::Data<AppState>,
    _officer: CaseOfficer,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let found = decisions::find(&state, path.into_inner()).await?;
    Ok(HttpResponse::Ok().json(found))
}

/// Approves an application and issues the certificate. Types with exams need a passed
/// latest result for every part a centre examines (recertification: the theory part).
#[utoipa::path(
    post,
    path = "/api/v1/admin/applications/{id}/approve",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id of the application")),
    request_body = ApplicationDecision,
    responses(
        (status = 201, description = "The issued certificate", body = Certificate),
        (status = 403, description = "The caller is not staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No application has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided or withdrawn (`application_transition_not_allowed`), an exam part without a passed result (`exam_not_passed`), or a renewed certificate that has been withdrawn (`certificate_withdrawn`) or replaced (`certificate_replaced`) since the application was filed", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "An issue date in the future", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn approve(
    state: web::Data<AppState>,
    request: HttpRequest,
    CaseOfficer(officer): CaseOfficer,
    path: web::Path<String>,
    body: Result<Json<ApplicationDecision>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let certificate = decisions::approve(&state, &officer, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Created().json(certificate))
}

/// Rejects an application with a reason that the applicant reads.
#[utoipa::path(
    post,
    path = "/api/v1/admin/applications/{id}/reject",
    tag = "admin",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id of the application")),
    request_body = ApplicationDecision,
    responses(
        (status = 200, description = "The rejected application", body = StaffApplication),
        (status = 403, description = "The caller is not staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No application has this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already decided or withdrawn (`application_transition_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing or too long `reason`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn reject(
    state: web::Data<AppState>,
    request: HttpRequest,
    CaseOfficer(officer): CaseOfficer,
    path: web::Path<String>,
    body: Result<Json<ApplicationDecision>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let rejected = decisions::reject(&state, &officer, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Ok().json(rejected))
}

/// Withdraws a certificate with a reason; the holder is emailed.
#[utoipa::path(
    post,
    path = "/api/v1/admin/certificates/{number}/withdraw",
    tag = "admin",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = Withdrawal,
    responses(
        (status = 200, description = "The withdrawn certificate", body = Certificate),
        (status = 403, description = "The caller is not staff (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No certificate has this number", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already withdrawn (`certificate_withdrawn`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Missing reason, or a date in the future or before issue", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn withdraw_certificate(
    state: web::Data<AppState>,
    request: HttpRequest,
    CaseOfficer(officer): CaseOfficer,
    path: web::Path<String>,
    body: Result<Json<Withdrawal>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let certificate =
        decisions::withdraw_certificate(&state, &officer, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Ok().json(certificate))
}

/// Lists the whole catalogue, retired types included.
#[utoipa::path(
    get,
    path = "/api/v1/admin/certificate-types",
    tag = "admin",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every technical area with every certificate type", body = [TechnicalArea]),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_types(
    state: web::Data<AppState>,
    _administrator: Administrator,
) -> Result<HttpResponse, ApiError> {
    let areas = catalogue::technical_areas(&state, true).await?;
    Ok(HttpResponse::Ok().json(areas))
}

/// Adds a certificate type to the catalogue.
#[utoipa::path(
    post,
    path = "/api/v1/admin/certificate-types",
    tag = "admin",
    security(("bearer" = [])),
    request_body = NewCertificateType,
    responses(
        (status = 201, description = "The new type", body = CertificateType),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid or taken code, unknown area or invalid rules, each named", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_type(
    state: web::Data<AppState>,
    request: HttpRequest,
    Administrator(administrator): Administrator,
    body: Result<Json<NewCertificateType>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let created = catalogue::create_type(&state, &administrator, body, origin).await?;

    Ok(HttpResponse::Created().json(created))
}

/// Renames, re-prices, changes the rules of, retires or reinstates a certificate type.
/// Certificates already issued keep their dates.
#[utoipa::path(
    patch,
    path = "/api/v1/admin/certificate-types/{code}",
    tag = "admin",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "Code of the type, such as `KAT1`")),
    request_body = CertificateTypeUpdate,
    responses(
        (status = 200, description = "The changed type", body = CertificateType),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No type has this code", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn update_type(
    state: web::Data<AppState>,
    request: HttpRequest,
    Administrator(administrator): Administrator,
    path: web::Path<String>,
    body: Result<Json<CertificateTypeUpdate>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let updated =
        catalogue::update_type(&state, &administrator, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Ok().json(updated))
}

/// Makes an account a certificate administrator of an employer, so it can attest the
/// professional activity of that employer's certificate holders.
#[utoipa::path(
    post,
    path = "/api/v1/admin/certificate-administrators",
    tag = "admin",
    security(("bearer" = [])),
    request_body = CertificateAdministratorRequest,
    responses(
        (status = 204, description = "The account administers the organisation's certificates"),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown account or invalid organisation number", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn add_administrator(
    state: web::Data<AppState>,
    request: HttpRequest,
    Administrator(administrator): Administrator,
    body: Result<Json<CertificateAdministratorRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    catalogue::add_administrator(&state, &administrator, body, origin).await?;

    Ok(HttpResponse::NoContent().finish())
}
