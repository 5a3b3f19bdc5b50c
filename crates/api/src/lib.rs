//! IncertOnline server: configuration, storage, mail and the HTTP API. The `incert` binary
//! in `main.rs` is a thin command-line front over [`server`].

pub mod clock;
pub mod config;
pub mod http;
pub mod i18n;
pub mod mail;
pub mod pdf;
pub mod security;
pub mod server;
pub mod service;
pub mod storage;
pub mod telemetry;
