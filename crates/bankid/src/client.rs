//! HTTP client for the BankID RP API v6.0.

use std::fmt;
use std::net::IpAddr;
use std::path::Path;
use std::time::Duration;

use chrono::Utc;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Certificate, Identity, Url};
use serde::Serialize;
use serde::de::{DeserializeOwned, IgnoredAny};
use zeroize::Zeroizing;

use crate::certificate::check_client_certificate;
use crate::error::{BankIdError, ConfigError};
use crate::model::{
    AuthRequest, CollectResponse, OrderResponse, PhoneAuthRequest, PhoneOrderResponse,
    PhoneSignRequest, SignRequest,
};
use crate::pkcs12::Pkcs12Identity;
use crate::wire::{ErrorBody, OrderRefBody};

/// Base URL of BankID's test environment.
pub const TEST_BASE_URL: &str = "https://appapi2.test.bankid.com";

/// Base URL of BankID's production environment.
pub const PRODUCTION_BASE_URL: &str = "https://appapi2.bankid.com";

/// Path of the API version under the base URL.
const API_PATH: &str = "rp/v6.0/";

/// Settings of a [`BankIdClient`].
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// URL the client appends `/rp/v6.0/{endpoint}` to: [`TEST_BASE_URL`],
    /// [`PRODUCTION_BASE_URL`], or a simulator such as `http://127.0.0.1:8080/bankid-sim`.
    /// Plain `http` is accepted only for loopback hosts.
    pub base_url: String,
    /// Maximum time to open the TCP connection and finish the TLS handshake.
    pub connect_timeout: Duration,
    /// Maximum time to wait for each read from the connection once the request is sent.
    pub read_timeout: Duration,
    /// Mutual TLS settings, required for `https` base URLs.
    pub tls: Option<TlsConfig>,
}

impl ClientConfig {
    /// Default connect timeout: 5 seconds.
    pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
    /// Default read timeout: 10 seconds.
    pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(10);

    /// Creates settings with the default timeouts and no TLS.
    pub fn new(base_url: impl Into<String>) -> Self {
        Self {
            base_url: base_url.into(),
            connect_timeout: Self::DEFAULT_CONNECT_TIMEOUT,
            read_timeout: Self::DEFAULT_READ_TIMEOUT,
            tls: None,
        }
    }
}

/// Client certificate, its private key and the root certificate that BankID's server
/// certificate must chain to. Built-in and system roots are not trusted.
///
/// The client identity is read from PEM ([`TlsConfig::from_pem`], [`TlsConfig::from_files`])
/// or from the PKCS#12 file (`.p12`/`.pfx`) that the bank delivers
/// ([`TlsConfig::from_pkcs12`], [`TlsConfig::from_pkcs12_file`]), which [`crate::pkcs12`]
/// converts to PEM because rustls cannot read PKCS#12. The root certificate is always PEM.
#[derive(Clone)]
pub struct TlsConfig {
    /// Certificate chain (leaf first) followed by the private key, all PEM.
    identity_pem: Zeroizing<Vec<u8>>,
    root_certificate_pem: Vec<u8>,
}

impl TlsConfig {
    /// Creates the settings from PEM texts. `certificate_chain_pem` contains the client
    /// certificate first, then any intermediate certificates. `private_key_pem` contains a PKCS#8,
    /// PKCS#1 (RSA) or SEC1 (EC) key. It may be the same text as the certificate chain when one
    /// file contains both.
    pub fn from_pem(
        certificate_chain_pem: &[u8],
        private_key_pem: &[u8],
        root_certificate_pem: &[u8],
    ) -> Self {
        let mut identity_pem = Zeroizing::new(Vec::with_capacity(
            certificate_chain_pem.len() + 1 + private_key_pem.len(),
        ));
        identity_pem.extend_from_slice(certificate_chain_pem);
        if private_key_pem != certificate_chain_pem {
            identity_pem.push(b'\n');
            identity_pem.extend_from_slice(private_key_pem);
        }
        Self {
            identity_pem,
            root_certificate_pem: root_certificate_pem.to_vec(),
        }
    }

    /// Reads the settings from PEM files. `certificate` and `private_key` may name the same
    /// file.
    pub fn from_files(
        certificate: &Path,
        private_key: &Path,
        root_certificate: &Path,
    ) -> Result<Self, ConfigError> {
        let certificate_pem = read_file(certificate)?;
        let key_pem = if private_key == certificate {
            certificate_pem.clone()
        } else {
            read_file(private_key)?
        };
        let root_pem = read_file(root_certificate)?;
        Ok(Self::from_pem(&certificate_pem, &key_pem, &root_pem))
    }

    /// Creates the settings from the bytes of a PKCS#12 file and its password, and the PEM
    /// root certificate. See [`Pkcs12Identity::from_der`] for the supported files.
    pub fn from_pkcs12(
        pkcs12: &[u8],
        password: &str,
        root_certificate_pem: &[u8],
    ) -> Result<Self, ConfigError> {
        let identity = Pkcs12Identity::from_der(pkcs12, password).map_err(ConfigError::Pkcs12)?;
        Ok(Self::from_pkcs12_identity(&identity, root_certificate_pem))
    }

    /// Reads the settings from a PKCS#12 file, its password, and a PEM root certificate file.
    pub fn from_pkcs12_file(
        pkcs12: &Path,
        password: &str,
        root_certificate: &Path,
    ) -> Result<Self, ConfigError> {
        let bytes = Zeroizing::new(read_file(pkcs12)?);
        let root_pem = read_file(root_certificate)?;
        let identity = Pkcs12Identity::from_der(&bytes, password).map_err(|source| {
            ConfigError::Pkcs12File {
                path: pkcs12.to_owned(),
                source,
            }
        })?;
        Ok(Self::from_pkcs12_identity(&identity, &root_pem))
    }

    /// Creates the settings from an identity that was already read from a PKCS#12 file.
    pub fn from_pkcs12_identity(identity: &Pkcs12Identity, root_certificate_pem: &[u8]) -> Self {
        Self::from_pem(
            identity.certificate_chain_pem().as_bytes(),
            identity.private_key_pem().as_bytes(),
            root_certificate_pem,
        )
    }
}

impl fmt::Debug for TlsConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TlsConfig")
            .field("identity_pem", &"<redacted>")
            .field(
                "root_certificate_pem_bytes",
                &self.root_certificate_pem.len(),
            )
            .finish()
    }
}

fn read_file(path: &Path) -> Result<Vec<u8>, ConfigError> {
    std::fs::read(path).map_err(|source| ConfigError::ReadFile {
        path: path.to_owned(),
        source,
    })
}

/// Client for the BankID RP API v6.0. Cloning is cheap and shares the connection pool.
#[derive(Debug, Clone)]
pub struct BankIdClient {
    http: reqwest::Client,
    api_url: Url,
}

impl BankIdClient {
    /// Builds a client. For `https` base URLs it loads the client identity, trusts only the
    /// configured root certificate, and checks the client certificate's validity: an expired
    /// certificate is an error, and one that expires within 30 days is logged as a warning.
    pub fn new(config: &ClientConfig) -> Result<Self, ConfigError> {
        let api_url = api_url(&config.base_url)?;
        let mut builder = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("incert-bankid/", env!("CARGO_PKG_VERSION")));

        if api_url.scheme() == "https" {
            let tls = config.tls.as_ref().ok_or_else(|| ConfigError::MissingTls {
                url: config.base_url.clone(),
            })?;
            check_client_certificate(&tls.identity_pem, Utc::now())?;
            let identity =
                Identity::from_pem(&tls.identity_pem).map_err(|error| ConfigError::InvalidPem {
                    what: "client certificate or private key",
                    reason: error.to_string(),
                })?;
            let roots =
                Certificate::from_pem_bundle(&tls.root_certificate_pem).map_err(|error| {
                    ConfigError::InvalidPem {
                        what: "BankID root certificate",
                        reason: error.to_string(),
                    }
                })?;
            if roots.is_empty() {
                return Err(ConfigError::InvalidPem {
                    what: "BankID root certificate",
                    reason: "no certificate found".to_owned(),
                });
            }
            builder = builder
                .https_only(true)
                .tls_certs_only(roots)
                .identity(identity);
        }

        let http = builder.build().map_err(ConfigError::HttpClient)?;
        Ok(Self { http, api_url })
    }

    /// Starts an identification order.
    pub async fn auth(&self, request: &AuthRequest) -> Result<OrderResponse, BankIdError> {
        let body = request.to_body()?;
        let response: OrderResponse = self.call("auth", &body).await?;
        tracing::debug!(order_ref = %response.order_ref, "BankID auth order created");
        Ok(response)
    }

    /// Starts a signing order.
    pub async fn sign(&self, request: &SignRequest) -> Result<OrderResponse, BankIdError> {
        let body = request.to_body()?;
        let response: OrderResponse = self.call("sign", &body).await?;
        tracing::debug!(order_ref = %response.order_ref, "BankID sign order created");
        Ok(response)
    }

    /// Starts an identification order for a user on the phone with the relying party.
    pub async fn phone_auth(
        &self,
        request: &PhoneAuthRequest,
    ) -> Result<PhoneOrderResponse, BankIdError> {
        let body = request.to_body()?;
        let response: PhoneOrderResponse = self.call("phone/auth", &body).await?;
        tracing::debug!(order_ref = %response.order_ref, "BankID phone/auth order created");
        Ok(response)
    }

    /// Starts a signing order for a user on the phone with the relying party.
    pub async fn phone_sign(
        &self,
        request: &PhoneSignRequest,
    ) -> Result<PhoneOrderResponse, BankIdError> {
        let body = request.to_body()?;
        let response: PhoneOrderResponse = self.call("phone/sign", &body).await?;
        tracing::debug!(order_ref = %response.order_ref, "BankID phone/sign order created");
        Ok(response)
    }

    /// Fetches the status of an order. BankID returns a final status (`failed` or `complete`)
    /// once; collecting the same order afterwards fails with `invalidParameters`.
    pub async fn collect(&self, order_ref: &str) -> Result<CollectResponse, BankIdError> {
        let body = OrderRefBody {
            order_ref: Some(order_ref.to_owned()),
        };
        let response: CollectResponse = self.call("collect", &body).await?;
        tracing::debug!(
            order_ref,
            status = response.status.as_str(),
            hint_code = response.hint_code.as_ref().map(|hint| hint.as_str()),
            "BankID order collected"
        );
        Ok(response)
    }

    /// Cancels a pending order.
    pub async fn cancel(&self, order_ref: &str) -> Result<(), BankIdError> {
        let body = OrderRefBody {
            order_ref: Some(order_ref.to_owned()),
        };
        let _: IgnoredAny = self.call("cancel", &body).await?;
        tracing::debug!(order_ref, "BankID order cancelled");
        Ok(())
    }

    /// Sends `body` to `endpoint` and parses the response.
    async fn call<B: Serialize, T: DeserializeOwned>(
        &self,
        endpoint: &'static str,
        body: &B,
    ) -> Result<T, BankIdError> {
        let url = self
            .api_url
            .join(endpoint)
            .map_err(|error| BankIdError::UnexpectedResponse {
                endpoint,
                status: 0,
                reason: format!("cannot build the request URL: {error}"),
            })?;
        let json = serde_json::to_vec(body).map_err(|error| BankIdError::UnexpectedResponse {
            endpoint,
            status: 0,
            reason: format!("cannot encode the request: {error}"),
        })?;

        let response = self
            .http
            .post(url)
            // BankID requires `application/json`. It is sent without a charset parameter.
            .header(CONTENT_TYPE, "application/json")
            .body(json)
            .send()
            .await
            .map_err(|source| transport_error(endpoint, source))?;
        let status = response.status().as_u16();
        let bytes = response
            .bytes()
            .await
            .map_err(|source| transport_error(endpoint, source))?;

        if (200..300).contains(&status) {
            return serde_json::from_slice(&bytes).map_err(|error| {
                BankIdError::UnexpectedResponse {
                    endpoint,
                    status,
                    reason: error.to_string(),
                }
            });
        }
        match serde_json::from_slice::<ErrorBody>(&bytes) {
            Ok(error) => Err(BankIdError::Api {
                endpoint,
                status,
                code: error.error_code,
                details: error.details,
            }),
            Err(_) => Err(BankIdError::UnexpectedResponse {
                endpoint,
                status,
                reason: "the body is not a BankID error object".to_owned(),
            }),
        }
    }
}

fn transport_error(endpoint: &'static str, source: reqwest::Error) -> BankIdError {
    if source.is_timeout() {
        BankIdError::Timeout { endpoint, source }
    } else {
        BankIdError::Transport { endpoint, source }
    }
}

/// Parses the base URL and appends `rp/v6.0/`. Plain `http` is allowed only for loopback hosts,
/// so that orders never leave the machine unencrypted.
fn api_url(base_url: &str) -> Result<Url, ConfigError> {
    let invalid = |reason: &str| ConfigError::InvalidBaseUrl {
        url: base_url.to_owned(),
        reason: reason.to_owned(),
    };
    let mut url = Url::parse(base_url).map_err(|error| invalid(&error.to_string()))?;
    if url.query().is_some() || url.fragment().is_some() {
        return Err(invalid("the URL must not have a query or fragment"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback_host(&url) => {}
        "http" => {
            return Err(ConfigError::PlainHttpNotLoopback {
                url: base_url.to_owned(),
            });
        }
        _ => {
            return Err(invalid(
                "the scheme must be https, or http for a loopback host",
            ));
        }
    }
    if !url.path().ends_with('/') {
        let path = format!("{}/", url.path());
        url.set_path(&path);
    }
    url.join(API_PATH)
        .map_err(|error| invalid(&error.to_string()))
}

fn is_loopback_host(url: &Url) -> bool {
    let Some(host) = url.host_str() else {
        return false;
    };
    if host.eq_ignore_ascii_case("localhost") {
        return true;
    }
    let unbracketed = host.trim_start_matches('[').trim_end_matches(']');
    unbracketed
        .parse::<IpAddr>()
        .is_ok_and(|ip| ip.is_loopback())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, reason = "a test fails by panicking")]

    use super::*;

    #[test]
    fn api_url_appends_version_path() {
        assert_eq!(
            api_url(TEST_BASE_URL).unwrap().as_str(),
            "https://appapi2.test.bankid.com/rp/v6.0/"
        );
        assert_eq!(
            api_url("http://127.0.0.1:8080/bankid-sim")
                .unwrap()
                .as_str(),
            "http://127.0.0.1:8080/bankid-sim/rp/v6.0/"
        );
        assert_eq!(
            api_url("http://localhost:9/sim/").unwrap().as_str(),
            "http://localhost:9/sim/rp/v6.0/"
        );
        assert_eq!(
            api_url("http://[::1]:9").unwrap().as_str(),
            "http://[::1]:9/rp/v6.0/"
        );
    }

    #[test]
    fn api_url_rejects_plain_http_elsewhere() {
        assert!(matches!(
            api_url("http://appapi2.test.bankid.com"),
            Err(ConfigError::PlainHttpNotLoopback { .. })
        ));
        assert!(matches!(
            api_url("http://10.0.0.1"),
            Err(ConfigError::PlainHttpNotLoopback { .. })
        ));
        assert!(matches!(
            api_url("ftp://127.0.0.1"),
            Err(ConfigError::InvalidBaseUrl { .. })
        ));
        assert!(matches!(
            api_url("https://example.test/?a=b"),
            Err(ConfigError::InvalidBaseUrl { .. })
        ));
    }

    #[test]
    fn https_without_tls_is_rejected() {
        let error = BankIdClient::new(&ClientConfig::new(TEST_BASE_URL)).unwrap_err();
        assert!(matches!(error, ConfigError::MissingTls { .. }));
    }

    #[test]
    fn tls_config_debug_hides_key() {
        let tls = TlsConfig::from_pem(b"CERT", b"-----BEGIN PRIVATE KEY-----SECRET", b"ROOT");
        let debug = format!("{tls:?}");
        assert!(!debug.contains("SECRET"));
    }
}
