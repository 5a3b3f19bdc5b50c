//! BankID (Sweden) for IncertOnline: a client for the relying-party API v6.0, the recommended
//! user messages, animated QR codes and launch links, and a simulator of the API that runs
//! inside an actix-web application.
//!
//! - [`BankIdClient`] sends `auth`, `sign`, `phone/auth`, `phone/sign`, `collect` and `cancel`
//!   over HTTPS with mutual TLS, or over plain HTTP to a simulator on a loopback address.
//! - [`pkcs12`] reads the PKCS#12 (`.p12`/`.pfx`) files in which banks deliver relying-party
//!   certificates, for [`TlsConfig::from_pkcs12`].
//! - [`qr`] computes the animated QR code data and [`launch`] builds the links that start the
//!   BankID app on the same device.
//! - [`messages`] chooses the recommended user message (RFA1 to RFA23) for a collect result or
//!   an error and contains its Swedish and English texts.
//! - [`simulator`] serves the same wire protocol from memory and has a "virtual app" (an HTML
//!   page and a JSON API) that acts as the user. It is a test double and must not be reachable
//!   in production.
//!
//! Personal identity numbers are handled as [`incert_domain::personnummer::Personnummer`],
//! whose `Debug` output is masked. Nothing in this crate logs a personal number or a
//! `qrStartSecret`.

pub mod certificate;
pub mod client;
pub mod codes;
mod der;
pub mod error;
pub mod launch;
pub mod messages;
pub mod model;
pub mod pkcs12;
pub mod qr;
pub mod simulator;
mod wire;

pub use client::{BankIdClient, ClientConfig, PRODUCTION_BASE_URL, TEST_BASE_URL, TlsConfig};
pub use codes::{CollectStatus, ErrorCode, HintCode, RiskLevel};
pub use error::{BankIdError, ConfigError, Pkcs12Error, RequestError};
pub use model::{
    AppDevice, AuthRequest, CallInitiator, CardReader, CollectResponse, CompletionData,
    CompletionDevice, CompletionUser, DeviceData, OrderResponse, PhoneAuthRequest,
    PhoneOrderResponse, PhoneSignRequest, QrStartSecret, Requirement, SignRequest, StepUp,
    UserVisibleDataFormat, WebDevice,
};
