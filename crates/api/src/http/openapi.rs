//! The OpenAPI 3.1 document, generated from the handlers' annotations.

use actix_web::HttpResponse;
use incert_contract::health::{DependencyState, Liveness, Readiness};
use incert_contract::password::{
    PasswordCheckRequest, PasswordCheckResponse, PasswordPolicyRules, PasswordStrength,
};
use incert_contract::{ErrorCode, FieldError, Problem};
use utoipa::OpenApi;

use incert_contract::account::{
    Billing, EmailChangeConfirmation, EmailChangeRequest, EmailChangeStarted, Me, MeUpdate,
    PostalAddress, SessionSummary,
};
use incert_contract::auth::{
    AccessScope, LoginChallenge, LoginCodeRequest, LoginRequest, OtherRegistrationRequest,
    PasswordChangeRequest, PasswordResetAccepted, PasswordResetConfirmation, PasswordResetRequest,
    PreferredLanguage, RefreshRequest, RegistrationAccepted, TokenResponse,
};
use utoipa::Modify;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use incert_contract::bankid::{
    BankIdDevice, BankIdLoginRequest, BankIdOrderStarted, BankIdOrderState, BankIdOrderStatus,
    BankIdTokenRequest, SwedishRegistrationRequest,
};

use incert_contract::admin::{
    Applicant, ApplicationDecision, ApplicationPage, CertificateAdministratorRequest,
    CertificateTypeUpdate, NewCertificateType, StaffApplication, Withdrawal,
};
use incert_contract::certification::{
    Application, ApplicationKind, ApplicationRequest, ApplicationSource, ApplicationState,
    Attestation, AttestationRequest, Certificate, CertificateGroup, CertificateGrouping,
    CertificateList, CertificateRow, CertificateStatus, CertificateType, ExamDeviation,
    ExamOutcome, ExamPart, ExamPartResult, HolderKind, LocalizedText, Price, PriceItem, PriceList,
    PublicCertificate, TechnicalArea,
};

use super::oauth::CentreSecuritySchemes;
use super::{
    admin, auth, bankid, centre, certification, health, me, oauth, password, registrations,
};
use incert_contract::centre::{
    CentreClient, CentreClientCredentials, CentreClientRequest, CentreTokenResponse,
    ClientCredentialsRequest, Enrolment, EnrolmentRequest, ExamResultReport, ExamResults,
    ExamSession, ExamSessionDetails, ExamSessionPage, ExamSessionRequest, ExaminationCentre,
    ExaminationCentreRequest, OAuthError, OAuthErrorCode,
};

/// Declares the bearer access token that `security(("bearer" = []))` refers to.
#[derive(Debug)]
struct BearerToken;

impl Modify for BearerToken {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from the login code or refresh operation",
                    ))
                    .build(),
            ),
        );
    }
}

/// Documents the problems that the shared extractors can return on any operation, so each
/// handler lists only its own: 400, 413, 415 and 422 for JSON bodies, and 401 for operations
/// behind a bearer token.
#[derive(Debug)]
struct CommonResponses;

impl CommonResponses {
    fn add(operation: &mut Operation, status: &str, description: &str) {
        operation
            .responses
            .responses
            .entry(status.to_owned())
            .or_insert_with(|| {
                RefOr::T(
                    ResponseBuilder::new()
                        .description(description)
                        .content(
                            incert_contract::problem::PROBLEM_CONTENT_TYPE,
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("Problem")))
                                .build(),
                        )
                        .build(),
                )
            });
    }
}

impl Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for item in openapi.paths.paths.values_mut() {
            let operations = [
                &mut item.get,
                &mut item.put,
                &mut item.post,
                &mut item.delete,
                &mut item.patch,
            ];
            for operation in operations.into_iter().flatten() {
                let json_body = operation.request_body.as_ref().is_some_and(|body| {
                    matches!(body, RefOr::T(body) if body.content.contains_key("application/json"))
                });
                let bearer = serde_json::to_string(&operation.security)
                    .is_ok_and(|security| security.contains("\"bearer\""));
                if json_body {
                    Self::add(
                        operation,
                        "400",
                        "The body is not JSON of the expected shape (`invalid_json`)",
                    );
                    Self::add(
                        operation,
                        "413",
                        "The body is larger than the server accepts (`payload_too_large`)",
                    );
                    Self::add(
                        operation,
                        "415",
                        "The body is not `application/json` (`unsupported_media_type`)",
                    );
                    Self::add(
                        operation,
                        "422",
                        "A field is missing, unknown or of the wrong type, named in `errors`",
                    );
                }
                if bearer {
                    Self::add(operation, "401", "Missing, invalid or expired access token");
                    Self::add(
                        operation,
                        "403",
                        "The token only allows the first-time password change (`password_change_required`), or the caller's role does not allow the operation (`forbidden`)",
                    );
                }
            }
        }
    }
}

#[derive(Debug, OpenApi)]
#[openapi(
    info(
        title = "IncertOnline API",
        description = "Self-service portal of a Swedish person-certification body. Every error \
            answer is an RFC 9457 `application/problem+json` body with a stable `code`; its \
            `title`, `detail` and field messages follow `Accept-Language` (Swedish by default, \
            English on request).",
        license(name = "AGPL-3.0-or-later"),
    ),
    paths(
        health::liveness,
        health::readiness,
        password::policy,
        password::check,
        registrations::register_other,
        bankid::register_swedish,
        bankid::registration_status,
        bankid::cancel_registration,
        auth::login,
        auth::submit_code,
        auth::resend_code,
        bankid::start_login,
        bankid::login_status,
        bankid::cancel_login,
        bankid::login_tokens,
        auth::refresh,
        auth::logout,
        auth::request_password_reset,
        auth::confirm_password_reset,
        me::get,
        me::change_password,
        me::update,
        me::billing,
        me::replace_billing,
        me::start_email_change,
        me::confirm_email_change,
        me::sessions,
        me::revoke_session,
        certification::technical_areas,
        certification::price_list,
        certification::apply,
        certification::list_applications,
        certification::withdraw_application,
        certification::list_certificates,
        certification::certificate_pdf,
        certification::public_certificate,
        certification::attest,
        admin::list_applications,
        admin::application,
        admin::approve,
        admin::reject,
        admin::withdraw_certificate,
        admin::list_types,
        admin::create_type,
        admin::update_type,
        admin::add_administrator,
        oauth::token,
        centre::staff::list_centres,
        centre::staff::create_centre,
        centre::staff::create_client,
        centre::staff::revoke_client,
        centre::list_sessions,
        centre::create_session,
        centre::get_session,
        centre::list_enrolments,
        centre::enrol,
        centre::report_results,
    ),
    modifiers(&BearerToken, &CentreSecuritySchemes, &CommonResponses),
    components(schemas(
        Liveness, Readiness, DependencyState,
        PasswordPolicyRules, PasswordCheckRequest, PasswordCheckResponse, PasswordStrength,
        Problem, FieldError, ErrorCode,
        OtherRegistrationRequest, RegistrationAccepted, PreferredLanguage,
        LoginRequest, LoginChallenge, LoginCodeRequest, TokenResponse, AccessScope, RefreshRequest,
        PasswordChangeRequest, Me, SessionSummary, MeUpdate, Billing, PostalAddress,
        EmailChangeRequest, EmailChangeStarted, EmailChangeConfirmation,
        PasswordResetRequest, PasswordResetAccepted, PasswordResetConfirmation,
        SwedishRegistrationRequest, BankIdDevice, BankIdOrderStarted, BankIdOrderState,
        BankIdOrderStatus, BankIdLoginRequest, BankIdTokenRequest,
        LocalizedText, ExamPart, HolderKind, Price, CertificateType, TechnicalArea, PriceItem,
        PriceList, ApplicationKind, ApplicationSource, ApplicationState, ApplicationRequest,
        ExamPartResult, ExamOutcome, ExamDeviation, Application, CertificateStatus,
        CertificateRow, CertificateGrouping, CertificateGroup, CertificateList,
        PublicCertificate, Certificate, AttestationRequest, Attestation,
        Applicant, StaffApplication, ApplicationPage, ApplicationDecision, Withdrawal,
        NewCertificateType, CertificateTypeUpdate, CertificateAdministratorRequest,
        ClientCredentialsRequest, CentreTokenResponse, OAuthError, OAuthErrorCode,
        ExaminationCentreRequest, ExaminationCentre, CentreClient, CentreClientRequest,
        CentreClientCredentials, ExamSessionRequest, ExamSession, ExamSessionDetails,
        ExamSessionPage, EnrolmentRequest, Enrolment, ExamResultReport, ExamResults,
    )),
    tags(
        (name = "health", description = "Liveness and readiness probes"),
        (name = "passwords", description = "The password policy and strength checks"),
        (name = "registrations", description = "Registering a personal account"),
        (name = "auth", description = "Login with password and emailed one-time code, tokens and logout"),
        (name = "me", description = "The signed-in person's own account"),
        (name = "certification", description = "The catalogue, price list, applications, certificates, attestations and the public certificate check"),
        (name = "admin", description = "Staff: the application queue and decisions, certificate withdrawal, the catalogue and certificate administrators"),
        (name = "oauth", description = "Access tokens for examination centres by the OAuth2 client credentials grant"),
        (name = "centres", description = "Exam sessions, enrolments and results of examination centres, and the staff operations on centres and their credentials"),
    ),
)]
pub struct ApiDoc;

/// Returns the document as pretty-printed JSON, as committed under `openapi/`.
pub fn to_json() -> String {
    ApiDoc::openapi()
        .to_pretty_json()
        .unwrap_or_else(|_| String::from("{}"))
}

/// Serves the OpenAPI document.
pub async fn document() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(to_json())
}
