//! The examination centres' API: tokens by OAuth2 client credentials, exam sessions,
//! enrolments and results.

use actix_web::web;

/// Registers the centres' routes.
pub fn routes(_config: &mut web::ServiceConfig) {}
