//! Staff operations on examination centres and their client credentials.

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpRequest, HttpResponse, web};
use incert_contract::Problem;
use incert_contract::centre::{
    CentreClient, CentreClientCredentials, CentreClientRequest, ExaminationCentre,
    ExaminationCentreRequest,
};

use crate::http::authentication::Administrator;
use crate::http::error::ApiError;
use crate::http::json::Json;
use crate::http::{AppState, origin};
use crate::service::centre::clients::{self, Actor, CentreChoice};

fn actor(request: &HttpRequest, administrator: &Administrator) -> Actor {
    Actor {
        account: Some(administrator.0.public_id.clone()),
        origin: origin(request),
    }
}

/// Lists every examination centre with its client credentials, never their secrets.
#[utoipa::path(
    get,
    path = "/api/v1/admin/examination-centres",
    tag = "centres",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Centres by name", body = [ExaminationCentre]),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn list_centres(
    state: web::Data<AppState>,
    _administrator: Administrator,
) -> Result<HttpResponse, ApiError> {
    let centres = clients::list_centres(&state.database).await?;

    Ok(HttpResponse::Ok().json(centres))
}

/// Creates an examination centre.
#[utoipa::path(
    post,
    path = "/api/v1/admin/examination-centres",
    tag = "centres",
    security(("bearer" = [])),
    request_body = ExaminationCentreRequest,
    responses(
        (status = 201, description = "The new centre, without credentials", body = ExaminationCentre),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields, each named; `centre_name_taken` when another centre has the name", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_centre(
    state: web::Data<AppState>,
    request: HttpRequest,
    administrator: Administrator,
    Json(body): Json<ExaminationCentreRequest>,
) -> Result<HttpResponse, ApiError> {
    let details = clients::validate_centre(&body.name, body.contact_email.as_deref())?;
    let actor = actor(&request, &administrator);
    let now = state.clock.naive_now();

    let centre = clients::create_centre(&state.database, details, actor, now).await?;

    Ok(HttpResponse::Created().json(centre))
}

/// Creates client credentials for a centre. The secret is in this response only.
#[utoipa::path(
    post,
    path = "/api/v1/admin/examination-centres/{id}/clients",
    tag = "centres",
    security(("bearer" = [])),
    params(("id" = String, Path, description = "Id of the centre")),
    request_body = CentreClientRequest,
    responses(
        (status = 201, description = "The client id and secret; sent with `Cache-Control: no-store`", body = CentreClientCredentials),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No centre has this id", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A label over 200 characters or with control characters", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn create_client(
    state: web::Data<AppState>,
    request: HttpRequest,
    administrator: Administrator,
    path: web::Path<String>,
    Json(body): Json<CentreClientRequest>,
) -> Result<HttpResponse, ApiError> {
    let actor = actor(&request, &administrator);
    let now = state.clock.naive_now();

    let credentials = clients::create_client(
        &state.database,
        &state.code_hasher,
        CentreChoice::PublicId(path.into_inner()),
        body.label.as_deref(),
        actor,
        now,
    )
    .await?;

    Ok(HttpResponse::Created()
        .insert_header((CACHE_CONTROL, "no-store"))
        .json(credentials))
}

/// Revokes client credentials; tokens issued to them stop working at once. Revoking again
/// changes nothing.
#[utoipa::path(
    post,
    path = "/api/v1/admin/centre-clients/{client_id}/revoke",
    tag = "centres",
    security(("bearer" = [])),
    params(("client_id" = String, Path, description = "Client id of the credentials")),
    responses(
        (status = 200, description = "The credentials with their revocation time", body = CentreClient),
        (status = 401, description = "Missing, invalid or expired access token", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The caller is not an administrator (`forbidden`)", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No credentials have this client id", body = Problem, content_type = "application/problem+json"),
    ),
)]
pub async fn revoke_client(
    state: web::Data<AppState>,
    request: HttpRequest,
    administrator: Administrator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let actor = actor(&request, &administrator);
    let now = state.clock.naive_now();

    let client = clients::revoke_client(&state.database, path.into_inner(), actor, now).await?;

    Ok(HttpResponse::Ok().json(client))
}
