//! Errors of the BankID client.

use std::path::PathBuf;

use chrono::{DateTime, Utc};

use crate::codes::ErrorCode;

/// A request that breaks BankID's limits, found before anything was sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    #[error("{field} is empty; leave the field out or give at least one character")]
    Empty { field: &'static str },
    #[error("{field} is {length} characters long, more than the maximum {max}")]
    TooLong {
        field: &'static str,
        length: usize,
        max: usize,
    },
    #[error("personal number {masked} is an interim number, which BankID does not accept")]
    InterimPersonalNumber { masked: String },
}

/// A failed call to the BankID API.
#[derive(Debug, thiserror::Error)]
pub enum BankIdError {
    #[error("invalid BankID request: {0}")]
    InvalidRequest(#[from] RequestError),
    #[error("BankID {endpoint} returned HTTP {status} with error code {code}: {details}")]
    Api {
        endpoint: &'static str,
        status: u16,
        code: ErrorCode,
        details: String,
    },
    #[error("BankID {endpoint} request timed out")]
    Timeout {
        endpoint: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("BankID {endpoint} request failed: {source}")]
    Transport {
        endpoint: &'static str,
        #[source]
        source: reqwest::Error,
    },
    #[error("BankID {endpoint} returned HTTP {status} with an unexpected body: {reason}")]
    UnexpectedResponse {
        endpoint: &'static str,
        status: u16,
        reason: String,
    },
}

impl BankIdError {
    /// Returns whether sending the same request again may succeed.
    ///
    /// Retryable are the error codes `requestTimeout` (408), `internalError` (500) and
    /// `maintenance` (503), and unknown error codes sent with one of those statuses. So are
    /// timeouts, failed connections, and non-BankID bodies with HTTP 408, 500, 502, 503 or 504,
    /// as a proxy in between would send. Retrying `auth` or `sign` creates a new order.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::InvalidRequest(_) => false,
            Self::Api {
                code: ErrorCode::Unknown(_),
                status,
                ..
            } => matches!(status, 408 | 500 | 503),
            Self::Api { code, .. } => code.is_retryable(),
            Self::Timeout { .. } => true,
            Self::Transport { source, .. } => source.is_connect() || source.is_timeout(),
            Self::UnexpectedResponse { status, .. } => {
                matches!(status, 408 | 500 | 502 | 503 | 504)
            }
        }
    }

    /// Returns the BankID error code, when BankID sent one.
    pub fn error_code(&self) -> Option<&ErrorCode> {
        match self {
            Self::Api { code, .. } => Some(code),
            _ => None,
        }
    }
}

/// A client configuration that cannot work.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("invalid BankID base URL {url:?}: {reason}")]
    InvalidBaseUrl { url: String, reason: String },
    #[error(
        "BankID base URL {url:?} uses plain http to a host that is not a loopback address; use https"
    )]
    PlainHttpNotLoopback { url: String },
    #[error(
        "BankID base URL {url:?} uses https but no TLS settings were given; set the client certificate, its key and the BankID root certificate"
    )]
    MissingTls { url: String },
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid {what}: {reason}")]
    InvalidPem { what: &'static str, reason: String },
    #[error(
        "the BankID client certificate expired at {not_after}; order a new certificate from the bank"
    )]
    CertificateExpired { not_after: DateTime<Utc> },
    #[error("the BankID client certificate is not valid before {not_before}")]
    CertificateNotYetValid { not_before: DateTime<Utc> },
    #[error("cannot read the PKCS#12 client identity: {0}")]
    Pkcs12(#[source] Pkcs12Error),
    #[error("cannot read the PKCS#12 client identity {path}: {source}")]
    Pkcs12File {
        path: PathBuf,
        #[source]
        source: Pkcs12Error,
    },
    #[error("cannot build the BankID HTTP client: {0}")]
    HttpClient(#[source] reqwest::Error),
}

/// A PKCS#12 (`.p12`/`.pfx`) file that cannot be read. No variant contains the password or key
/// material.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Pkcs12Error {
    #[error(
        "wrong password or corrupted file: the PKCS#12 MAC does not match{}",
        if *.empty_password { " an empty password; give the password of the file" } else { "" }
    )]
    WrongPassword { empty_password: bool },
    /// Decryption failed although the MAC matched or the file has no MAC.
    #[error("wrong password or corrupted file: decrypting the {content} failed")]
    DecryptionFailed { content: &'static str },
    #[error("invalid PKCS#12 file: {structure}: {reason}")]
    Malformed {
        structure: &'static str,
        reason: String,
    },
    #[error(
        "unsupported {purpose} algorithm {oid}{} in the PKCS#12 file",
        .name.map(|name| format!(" ({name})")).unwrap_or_default()
    )]
    UnsupportedAlgorithm {
        purpose: &'static str,
        /// Object identifier in dotted decimal, such as `1.2.840.113549.1.12.1.1`.
        oid: String,
        name: Option<&'static str>,
    },
    #[error("unsupported PKCS#12 file: {0}")]
    Unsupported(String),
    #[error("the data is PEM text, not a binary PKCS#12 file; load PEM with TlsConfig::from_pem")]
    PemInput,
    #[error("the PKCS#12 file contains no private key")]
    NoPrivateKey,
    #[error("the PKCS#12 file contains no X.509 certificate")]
    NoCertificate,
    #[error("the PKCS#12 file contains {count} private keys; only files with one are supported")]
    MultiplePrivateKeys { count: usize },
    #[error("no certificate in the PKCS#12 file matches its private key")]
    NoMatchingCertificate,
}
