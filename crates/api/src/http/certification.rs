//! The catalogue, the price list, a person's applications and certificates, attestations and
//! the public certificate check.

use actix_web::http::Method;
use actix_web::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION};
use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::certification::{
    Application, ApplicationRequest, Attestation, AttestationRequest, CatalogueQuery,
    CertificateList, CertificateQuery, PriceList, PublicCertificate, TechnicalArea,
};

use super::authentication::FullAccess;
use super::error::ApiError;
use super::json::Json;
use super::query::Query;
use super::{AppState, client_ip, origin, reject_other_methods, resource};
use crate::config::Settings;
use crate::i18n::Language;
use crate::pdf::{self, CertificateDocument, Replacement};
use crate::service::certification::certificates::OwnCertificate;
use crate::service::certification::{applications, catalogue, certificates};

/// Registers the certification routes.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(resource(
            "/api/v1/technical-areas",
            Method::GET,
            technical_areas,
        ))
        .service(resource("/api/v1/price-list", Method::GET, price_list))
        .service(reject_other_methods(
            web::resource("/api/v1/me/applications")
                .route(web::get().to(list_applications))
                .route(web::head().to(list_applications))
                .route(web::post().to(apply)),
            "GET, HEAD, POST",
        ))
        .service(resource(
            "/api/v1/me/applications/{id}/withdraw",
            Method::POST,
            withdraw_application,
        ))
        .service(resource(
            "/api/v1/me/certificates",
            Method::GET,
            list_certificates,
        ))
        .service(resource(
            "/api/v1/me/certificates/{number}/pdf",
            Method::GET,
            certificate_pdf,
        ))
        .service(resource(
            "/api/v1/public/certificates/{number}",
            Method::GET,
            public_certificate,
        ))
        .service(resource(
            "/api/v1/certificates/{number}/attestations",
            Method::POST,
            attest,
        ));
}

/// Lists the technical areas and their certificate types.
#[utoipa::path(
    get,
    path = "/api/v1/technical-areas",
    tag = "certification",
    params(CatalogueQuery),
    responses(
        (status = 200, description = "Technical areas in catalogue order, each with its certificate types", body = [TechnicalArea]),
        (status = 422, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn technical_areas(
    state: web::Data<AppState>,
    query: Query<CatalogueQuery>,
) -> Result<HttpResponse, ApiError> {
    let areas = catalogue::technical_areas(&state, query.include_retired).await?;
    Ok(HttpResponse::Ok().json(areas))
}

/// Returns the fees and the price of each certificate type, excluding VAT. Amounts the
/// certification body has not set are example values with `demo: true`.
#[utoipa::path(
    get,
    path = "/api/v1/price-list",
    tag = "certification",
    responses(
        (status = 200, description = "The price list", body = PriceList),
    ),
)]
pub async fn price_list(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let prices = catalogue::price_list(&state).await?;
    Ok(HttpResponse::Ok().json(prices))
}

/// Files an application: "Ansök om nytt certifikat".
#[utoipa::path(
    post,
    path = "/api/v1/me/applications",
    tag = "certification",
    security(("bearer" = [])),
    request_body = ApplicationRequest,
    responses(
        (status = 201, description = "The application, received", body = Application),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The first-time password must be changed first", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "An application for the type is already open (`application_already_open`), or the person holds a current certificate of the type and should apply for its recertification (`certificate_already_held`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Unknown or retired type, or a certificate to renew that is not the caller's of that type", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn apply(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    body: Result<Json<ApplicationRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let application = applications::apply(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Created().json(application))
}

/// Lists the caller's applications, newest first, with their states and exam results.
#[utoipa::path(
    get,
    path = "/api/v1/me/applications",
    tag = "certification",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The caller's applications", body = [Application]),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The first-time password must be changed first", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_applications(
    state: web::Data<AppState>,
    FullAccess(caller): FullAccess,
) -> Result<HttpResponse, ApiError> {
    let listed = applications::list_own(&state, &caller).await?;
    Ok(HttpResponse::Ok().json(listed))
}

/// Withdraws one of the caller's applications before it is decided.
#[utoipa::path(
    post,
    path = "/api/v1/me/applications/{id}/withdraw",
    tag = "certification",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id of the application")),
    responses(
        (status = 200, description = "The withdrawn application", body = Application),
        (status = 404, description = "The caller has no application with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application is already decided or withdrawn (`application_transition_not_allowed`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn withdraw_application(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let origin = origin(&request);

    let application = applications::withdraw(&state, &caller, path.into_inner(), origin).await?;

    Ok(HttpResponse::Ok().json(application))
}

/// Lists the caller's certificates with the columns of Min Sida: number, certificate, status,
/// annual renewal and recertification, and for a replaced certificate the one that replaced
/// it.
#[utoipa::path(
    get,
    path = "/api/v1/me/certificates",
    tag = "certification",
    security(("bearer" = [])),
    params(CertificateQuery),
    responses(
        (status = 200, description = "The caller's certificates, in groups", body = CertificateList),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The first-time password must be changed first", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameter", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_certificates(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    query: Query<CertificateQuery>,
) -> Result<HttpResponse, ApiError> {
    let language = Language::from_request(&request);
    let CertificateQuery { q, group_by } = query.into_inner();

    let list = certificates::list_own(&state, &caller, q, group_by, language).await?;

    Ok(HttpResponse::Ok().json(list))
}

/// Returns one of the caller's certificates as an A4 PDF in the request's language.
#[utoipa::path(
    get,
    path = "/api/v1/me/certificates/{number}/pdf",
    tag = "certification",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number, such as `INC-2026-000001`")),
    responses(
        (status = 200, description = "The certificate", content_type = "application/pdf", body = Vec<u8>),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The caller has no certificate with this number", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn certificate_pdf(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let language = Language::from_request(&request);

    let owned = certificates::find_own(&state, &caller, &path.into_inner()).await?;

    let number = owned.certificate.number.clone();
    let verification_url = format!(
        "{}/api/v1/public/certificates/{number}",
        state.settings.public_url.trim_end_matches('/')
    );
    let document = certificate_document(&owned, language, &state.settings, &verification_url);
    let bytes = pdf::render(&document)
        .map_err(|error| ApiError::Internal(format!("certificate PDF failed: {error}")))?;

    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((CACHE_CONTROL, "private, no-store"))
        .insert_header((
            CONTENT_DISPOSITION,
            format!("attachment; filename=\"{number}.pdf\""),
        ))
        .body(bytes))
}

/// Collects what the PDF of one of the caller's certificates prints, in `language`.
fn certificate_document<'a>(
    owned: &'a OwnCertificate,
    language: Language,
    settings: &'a Settings,
    verification_url: &'a str,
) -> CertificateDocument<'a> {
    let (type_name, area_name, status_label) = match language {
        Language::Swedish => (
            &owned.certificate.type_name_sv,
            &owned.technical_area.name_sv,
            owned.status.label_sv(),
        ),
        Language::English => (
            &owned.certificate.type_name_en,
            &owned.technical_area.name_en,
            owned.status.label_en(),
        ),
    };
    let replacement = owned
        .replaced_by_number
        .as_deref()
        .zip(owned.certificate.replaced_on)
        .map(|(certificate_number, replaced_on)| Replacement {
            certificate_number,
            replaced_on,
        });
    CertificateDocument {
        language: match language {
            Language::Swedish => pdf::Language::Swedish,
            Language::English => pdf::Language::English,
        },
        holder_name: &owned.holder_name,
        certificate_number: &owned.certificate.number,
        certificate_type_code: &owned.certificate_type.code,
        certificate_type_name: type_name,
        technical_area_name: area_name,
        issued_on: owned.certificate.issued_on,
        valid_until: owned.certificate.valid_until,
        next_renewal_on: certificates::next_renewal_due(&owned.certificate, owned.status),
        status_label,
        replacement,
        body_name: &settings.certification_body_name,
        accreditation: &settings.accreditation,
        verification_url,
    }
}

/// Checks a certificate: holder name, type, status and end date, and for a replaced
/// certificate the number of the certificate that replaced it and the day of the
/// replacement. Never a personnummer or birth date. Rate limited per client address.
#[utoipa::path(
    get,
    path = "/api/v1/public/certificates/{number}",
    tag = "certification",
    params(("number" = String, Path, description = "Certificate number, such as `INC-2026-000001`")),
    responses(
        (status = 200, description = "The certificate", body = PublicCertificate),
        (status = 404, description = "No certificate has this number", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many checks from this address; see `Retry-After`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn public_certificate(
    state: web::Data<AppState>,
    request: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let client = client_ip(&request).map(|address| address.to_string());

    let certificate = certificates::public_check(&state, &path.into_inner(), client).await?;

    Ok(HttpResponse::Ok().json(certificate))
}

/// Registers an attestation of the holder's professional activity, which moves the next
/// annual renewal date by a year. Staff may attest any certificate; a certificate
/// administrator those of holders employed by an organisation they administer (the
/// holder's billing organisation number). Nobody attests their own certificate.
#[utoipa::path(
    post,
    path = "/api/v1/certificates/{number}/attestations",
    tag = "certification",
    security(("bearer" = [])),
    params(("number" = String, Path, description = "Certificate number")),
    request_body = AttestationRequest,
    responses(
        (status = 201, description = "Recorded; the new renewal date", body = Attestation),
        (status = 403, description = "The caller may not attest this certificate (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No certificate has this number", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The certificate is withdrawn (`certificate_withdrawn`) or replaced by a recertification (`certificate_replaced`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Own certificate (`self_attestation_not_allowed`), or a date the renewal rules do not accept, named in `errors`", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn attest(
    state: web::Data<AppState>,
    request: HttpRequest,
    FullAccess(caller): FullAccess,
    path: web::Path<String>,
    body: Result<Json<AttestationRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let attestation =
        certificates::attest(&state, &caller, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Created().json(attestation))
}
