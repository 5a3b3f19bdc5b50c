#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

//! Tests of the BankID client against the simulator over real HTTP on 127.0.0.1, of the
//! client's mutual TLS against a local rustls server, and of the PKCS#12 reader.

mod faults;
mod flows;
mod helpers;
mod pkcs12;
mod protocol;
mod tls;
