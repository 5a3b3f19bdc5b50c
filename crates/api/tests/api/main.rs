#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]

//! Black-box tests of the `incert` server over HTTP, against SQLite and PostgreSQL and a real
//! SMTP server. `make test` starts PostgreSQL and the SMTP server and sets the
//! `INCERT_TEST_*` variables these tests read.

mod auth;
mod bankid;
mod centres;
mod certification;
mod cli;
mod client;
mod compose;
mod contract;
mod errors;
mod hashing;
mod health;
mod helpers;
mod mailbox;
mod nodes;
mod openapi;
mod outage;
mod outbox;
mod password;
mod people;
mod profile;
mod reset;
mod seed;
mod sqlite;
mod web;
