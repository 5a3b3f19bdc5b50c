//! Component tests of the web app, run in headless Chromium by `wasm-bindgen-test-runner`.
//!
//! Each test mounts one component into its own element of the test page and checks the DOM.
//! Tests run one after another in the same page, so each one sets the language state it
//! needs: `localStorage` and `<html lang>` are shared.

#![cfg(target_arch = "wasm32")]
#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test reports a failure by panicking"
)]

use wasm_bindgen_test::wasm_bindgen_test_configure;

wasm_bindgen_test_configure!(run_in_browser);

mod api_errors;
mod bankid;
mod billing;
mod certificates;
mod details;
mod fake_api;
mod field;
mod language;
mod locales;
mod password;
mod qr;
mod support;
