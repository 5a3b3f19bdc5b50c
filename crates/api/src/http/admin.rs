//! The staff API under `/api/v1/admin`.

use actix_web::web;

/// Registers the staff routes.
pub fn routes(_config: &mut web::ServiceConfig) {}
