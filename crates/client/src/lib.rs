//! Typed HTTP client of the IncertOnline REST API.
//!
//! Each endpoint is one async method of [`Client`] that sends the request type of
//! `incert-contract` and returns its response type. Every error response of the server is
//! RFC 9457 problem+json and becomes [`ClientError::Api`], with the stable [`ErrorCode`] and
//! the invalid fields.
//!
//! The crate builds for native targets and for `wasm32-unknown-unknown`, where reqwest sends
//! requests with the browser's `fetch`. It has no blocking API and starts no runtime, so a
//! native program brings its own (such as tokio).
//!
//! # Refresh tokens
//!
//! A successful login code and every refresh return a new refresh token in an HttpOnly cookie,
//! and also in the body when the request sets `include_refresh_token: true`.
//!
//! - Native programs set `include_refresh_token: true`, keep
//!   [`TokenResponse::refresh_token`](incert_contract::auth::TokenResponse::refresh_token) and
//!   send it back in [`RefreshRequest::refresh_token`](incert_contract::auth::RefreshRequest).
//!   The workspace builds reqwest without its `cookies` feature, so a native client drops the
//!   cookie.
//! - The web app sets `include_refresh_token: false` and sends an empty
//!   [`RefreshRequest`](incert_contract::auth::RefreshRequest) (its `Default`). The browser
//!   stores the cookie and `fetch` sends it back on same-origin requests, so the refresh token
//!   never reaches JavaScript or Wasm memory.
//!
//! # TLS
//!
//! The workspace builds reqwest without a TLS backend, so a native client reaches `http://`
//! servers only. A program that talks to an `https://` server enables a TLS feature of
//! reqwest 0.13 (such as `rustls`) in its own manifest, and Cargo unifies the feature with this
//! crate's reqwest. In the browser, `fetch` handles TLS.
//!
//! # Example
//!
//! ```no_run
//! use incert_client::{Client, ClientError};
//! use incert_contract::auth::{LoginCodeRequest, LoginRequest, PreferredLanguage};
//!
//! async fn sign_in(email: &str, password: &str, code: &str) -> Result<(), ClientError> {
//!     let mut client = Client::new("http://127.0.0.1:8080")?.with_language(PreferredLanguage::En);
//!     let login = LoginRequest { email: email.to_owned(), password: password.to_owned() };
//!     let challenge = client.login(&login).await?;
//!     let code = LoginCodeRequest { code: code.to_owned(), include_refresh_token: true };
//!     let tokens = client.submit_login_code(&challenge.challenge_id, &code).await?;
//!     client.set_access_token(tokens.access_token);
//!     let me = client.me().await?;
//!     assert_eq!(me.email, email);
//!     Ok(())
//! }
//! # fn main() {}
//! ```

mod base_url;
mod client;
mod endpoints;
mod error;

pub use base_url::BaseUrl;
pub use client::Client;
pub use error::ClientError;
/// The request and response types, so integrators need no separate dependency on them.
pub use incert_contract as contract;
pub use incert_contract::auth::PreferredLanguage;
pub use incert_contract::{ErrorCode, FieldError, Problem};
