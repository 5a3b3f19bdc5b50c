//! The catalogue, the price list, a person's applications and certificates, and the public
//! certificate check.

use actix_web::web;

/// Registers the certification routes.
pub fn routes(_config: &mut web::ServiceConfig) {}
