//! Liveness and readiness responses.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Response of `GET /healthz`: the process is up and serving requests.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Liveness {
    /// Always `ok`.
    #[schema(example = "ok")]
    pub status: String,
    /// Version of the running server.
    #[schema(example = "0.1.0")]
    pub version: String,
}

/// State of one dependency checked by `GET /readyz`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DependencyState {
    Up,
    Down,
}

/// Response of `GET /readyz`: whether the server can handle requests that need storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Readiness {
    /// `ready` when every dependency is up, otherwise `not_ready`.
    #[schema(example = "ready")]
    pub status: String,
    /// State of the database.
    pub database: DependencyState,
}
