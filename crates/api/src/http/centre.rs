//! The examination centres' API: tokens by OAuth2 client credentials, exam sessions,
//! enrolments and results, and the staff operations that manage centres and credentials.

pub mod staff;

use actix_web::http::Method;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::centre::{
    Enrolment, EnrolmentRequest, ExamResultReport, ExamResults, ExamSession, ExamSessionDetails,
    ExamSessionPage, ExamSessionRequest,
};

use super::error::{ApiError, FieldIssue};
use super::json::Json;
use super::oauth::{self, CentreClient, TOKEN_PATH};
use super::{AppState, origin, reject_other_methods, resource};
use crate::service::centre::enrolments::{self, check_idempotency_key};
use crate::service::centre::results;
use crate::service::centre::sessions::{self, SessionQuery};

/// Request header that makes an enrolment safe to retry.
const IDEMPOTENCY_KEY: &str = "idempotency-key";

/// Response header of a response replayed for a repeated `Idempotency-Key`.
const IDEMPOTENCY_REPLAYED: &str = "idempotency-replayed";

/// Registers the centres' routes.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .service(resource(TOKEN_PATH, Method::POST, oauth::token))
        .service(reject_other_methods(
            web::resource("/api/v1/admin/examination-centres")
                .route(web::get().to(staff::list_centres))
                .route(web::head().to(staff::list_centres))
                .route(web::post().to(staff::create_centre)),
            "GET, HEAD, POST",
        ))
        .service(resource(
            "/api/v1/admin/examination-centres/{id}/clients",
            Method::POST,
            staff::create_client,
        ))
        .service(resource(
            "/api/v1/admin/centre-clients/{client_id}/revoke",
            Method::POST,
            staff::revoke_client,
        ))
        .service(reject_other_methods(
            web::resource("/api/v1/centre/exam-sessions")
                .route(web::get().to(list_sessions))
                .route(web::head().to(list_sessions))
                .route(web::post().to(create_session)),
            "GET, HEAD, POST",
        ))
        .service(resource(
            "/api/v1/centre/exam-sessions/{id}",
            Method::GET,
            get_session,
        ))
        .service(reject_other_methods(
            web::resource("/api/v1/centre/exam-sessions/{id}/enrolments")
                .route(web::get().to(list_enrolments))
                .route(web::head().to(list_enrolments))
                .route(web::post().to(enrol)),
            "GET, HEAD, POST",
        ))
        .service(resource(
            "/api/v1/centre/enrolments/{id}/result",
            Method::PUT,
            report_results,
        ));
}

/// Lists the calling centre's exam sessions by start time, a page at a time.
#[utoipa::path(
    get,
    path = "/api/v1/centre/exam-sessions",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    params(
        ("page" = Option<u32>, Query, description = "Page number, from 1"),
        ("per_page" = Option<u32>, Query, description = "Sessions per page, 1–100; 20 when left out"),
        ("from" = Option<String>, Query, description = "First day to include, `YYYY-MM-DD` in Swedish time"),
        ("to" = Option<String>, Query, description = "Last day to include, `YYYY-MM-DD` in Swedish time"),
    ),
    responses(
        (status = 200, description = "One page of sessions", body = ExamSessionPage),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid query parameters, each named", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_sessions(
    state: web::Data<AppState>,
    request: HttpRequest,
    caller: CentreClient,
) -> Result<HttpResponse, ApiError> {
    let query = web::Query::<SessionQuery>::from_query(request.query_string())
        .map_err(|_| ApiError::Validation(vec![FieldIssue::new("query", "invalid_syntax")]))?;
    let list = sessions::parse_filter(&query)?;

    let page = sessions::list(&state, &caller, list).await?;

    Ok(HttpResponse::Ok().json(page))
}

/// Publishes an exam session of the calling centre.
#[utoipa::path(
    post,
    path = "/api/v1/centre/exam-sessions",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    request_body = ExamSessionRequest,
    responses(
        (status = 201, description = "The new session", body = ExamSession),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named: an unknown or retired certificate type or one without a centre exam, a time that is not RFC 3339, a place of 0 or over 200 characters, seats outside 1–500", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_session(
    state: web::Data<AppState>,
    request: HttpRequest,
    caller: CentreClient,
    body: Result<Json<ExamSessionRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let session = sessions::create(&state, &caller, body, origin).await?;

    Ok(HttpResponse::Created().json(session))
}

/// Returns one of the calling centre's sessions with the seats taken and its enrolments.
#[utoipa::path(
    get,
    path = "/api/v1/centre/exam-sessions/{id}",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    params(("id" = String, Path, description = "Id of the session")),
    responses(
        (status = 200, description = "The session and its enrolments", body = ExamSessionDetails),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The centre has no session with this id", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn get_session(
    state: web::Data<AppState>,
    caller: CentreClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let details = sessions::details(&state, &caller, path.into_inner()).await?;

    Ok(HttpResponse::Ok().json(details))
}

/// Lists the enrolments of one of the calling centre's sessions, at most its 500 seats.
#[utoipa::path(
    get,
    path = "/api/v1/centre/exam-sessions/{id}/enrolments",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    params(("id" = String, Path, description = "Id of the session")),
    responses(
        (status = 200, description = "Enrolments in the order they were made", body = [Enrolment]),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The centre has no session with this id", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_enrolments(
    state: web::Data<AppState>,
    caller: CentreClient,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let details = sessions::details(&state, &caller, path.into_inner()).await?;

    Ok(HttpResponse::Ok().json(details.enrolments))
}

/// Enrols a candidate who has a personal account, by personnummer or by email and birth
/// date. The enrolment joins the candidate's open application of the session's certificate
/// type, or starts one; the application then awaits the exam.
///
/// With an `Idempotency-Key`, a retry with the same key and body receives the first response
/// again with `Idempotency-Replayed: true`, and nothing is enrolled twice.
#[utoipa::path(
    post,
    path = "/api/v1/centre/exam-sessions/{id}/enrolments",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    params(
        ("id" = String, Path, description = "Id of the session"),
        ("Idempotency-Key" = Option<String>, Header, description = "1–255 visible ASCII characters, unique per enrolment request"),
    ),
    request_body = EnrolmentRequest,
    responses(
        (status = 201, description = "The enrolment; also the replayed response to a repeated key", body = Enrolment),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The centre has no session with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The candidate is already enrolled (`already_enrolled`) or awaits results from another session of the type (`enrolled_elsewhere`), every seat is taken (`exam_session_full`) or the session's certificate type is retired (`exam_session_closed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; no account matches (`candidate_without_account`: the person must register first); or the key was used with another body (`idempotency_key_reused`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn enrol(
    state: web::Data<AppState>,
    request: HttpRequest,
    caller: CentreClient,
    path: web::Path<String>,
    body: Result<Json<EnrolmentRequest>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let idempotency_key = request
        .headers()
        .get(IDEMPOTENCY_KEY)
        .map(|value| check_idempotency_key(value.as_bytes()))
        .transpose()?;
    let origin = origin(&request);

    let outcome = enrolments::enrol(
        &state,
        &caller,
        path.into_inner(),
        body,
        idempotency_key,
        origin,
    )
    .await?;

    let status = actix_web::http::StatusCode::from_u16(outcome.status)
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let mut response = HttpResponse::build(status);
    response.insert_header((CONTENT_TYPE, "application/json"));
    if outcome.replayed {
        response.insert_header((IDEMPOTENCY_REPLAYED, "true"));
    }
    Ok(response.body(outcome.body))
}

/// Reports the results of an enrolment, one entry per exam part that the centre examined.
/// When every such part of the certificate type has a result, the application moves from
/// `awaiting_exam` to `in_review`, where staff decide it.
#[utoipa::path(
    put,
    path = "/api/v1/centre/enrolments/{id}/result",
    tag = "centres",
    security(("centre_token" = ["centre"])),
    params(("id" = String, Path, description = "Id of the enrolment")),
    request_body = ExamResultReport,
    responses(
        (status = 200, description = "Every stored result of the enrolment and the application's state", body = ExamResults),
        (status = 401, description = "Missing, invalid or expired centre token, or revoked credentials", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The token is not a centre's (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The centre has no enrolment with this id", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The application is already decided or withdrawn (`application_transition_not_allowed`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid parts, each named as `parts[i].field`: a part centres do not examine or one given twice, a score above `max_score`, a day before the session or in the future, an empty examiner, or an absence with a score or a pass", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn report_results(
    state: web::Data<AppState>,
    request: HttpRequest,
    caller: CentreClient,
    path: web::Path<String>,
    body: Result<Json<ExamResultReport>, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let Json(body) = body?;
    let origin = origin(&request);

    let stored = results::report(&state, &caller, path.into_inner(), body, origin).await?;

    Ok(HttpResponse::Ok().json(stored))
}
