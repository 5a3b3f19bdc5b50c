#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

//! Tests of the BankID client against the simulator over real HTTP on 127.0.0.1, and of the
//! client's mutual TLS against a local rustls server.

mod faults;
mod flows;
mod helpers;
mod protocol;
mod tls;
