//! Liveness and readiness probes.

use std::time::Duration;

use actix_web::http::header::RETRY_AFTER;
use actix_web::{HttpResponse, web};
use incert_contract::health::{DependencyState, Liveness, Readiness};

use super::AppState;
use crate::telemetry::RepeatLimit;

/// How long the readiness probe waits for the database.
const READINESS_TIMEOUT: Duration = Duration::from_secs(2);

/// Seconds a load balancer should wait before asking again when the server is not ready.
const NOT_READY_RETRY_AFTER_SECONDS: &str = "5";

/// Reports that the process is up. It touches no dependency.
#[utoipa::path(
    get,
    path = "/healthz",
    tag = "health",
    responses((status = 200, description = "The process is up", body = Liveness)),
)]
pub async fn liveness() -> HttpResponse {
    HttpResponse::Ok().json(Liveness {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

/// Reports whether the database responds.
#[utoipa::path(
    get,
    path = "/readyz",
    tag = "health",
    responses(
        (status = 200, description = "The database responds", body = Readiness),
        (status = 503, description = "The database does not respond; retry after `Retry-After` seconds",
            body = Readiness, headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ),
)]
pub async fn readiness(state: web::Data<AppState>) -> HttpResponse {
    let ping = tokio::time::timeout(READINESS_TIMEOUT, state.database.ping()).await;

    match ping {
        Ok(Ok(())) => HttpResponse::Ok().json(Readiness {
            status: "ready".to_owned(),
            database: DependencyState::Up,
        }),
        outcome => {
            let reason = match outcome {
                Ok(Err(error)) => error.to_string(),
                _ => "timed out".to_owned(),
            };
            static REPEATS: RepeatLimit = RepeatLimit::new(Duration::from_secs(1));
            if let Some(held_back) = REPEATS.admit() {
                tracing::warn!(%reason, held_back, "readiness check failed: database unavailable");
            }
            HttpResponse::ServiceUnavailable()
                .insert_header((RETRY_AFTER, NOT_READY_RETRY_AFTER_SECONDS))
                .json(Readiness {
                    status: "not_ready".to_owned(),
                    database: DependencyState::Down,
                })
        }
    }
}
