//! Types exchanged over the IncertOnline REST API, shared by the server, the Rust client and
//! the web app. This crate has no I/O and builds for `wasm32-unknown-unknown`.

pub mod account;
pub mod admin;
pub mod auth;
pub mod bankid;
pub mod centre;
pub mod certification;
pub mod health;
pub mod password;
pub mod problem;

pub use problem::{ErrorCode, FieldError, Problem};
