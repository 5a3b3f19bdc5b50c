//! Mutual TLS of the client against a local rustls server, with certificates generated for
//! each test. A server CA plays BankID's root, a client CA plays the bank that issues
//! relying-party certificates, and a foreign CA is trusted by neither side. The PKCS#12 test
//! uses the fixture chain instead, whose root the server trusts as client CA.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::{Arc, Mutex};

use crate::pkcs12::{FIXTURE_PASSWORD, fixture_certificate, fixture_path};
use incert_bankid::{
    BankIdClient, BankIdError, ClientConfig, CollectStatus, ConfigError, TlsConfig,
};
use rcgen::{
    BasicConstraints, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa, Issuer, KeyPair,
    KeyUsagePurpose,
};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::rustls::server::WebPkiClientVerifier;
use tokio_rustls::rustls::{RootCertStore, ServerConfig, crypto::aws_lc_rs};

const COLLECT_ANSWER: &str = r#"{"orderRef":"order-1","status":"pending","hintCode":"started"}"#;

struct CertificateAuthority {
    certificate_pem: String,
    certificate_der: CertificateDer<'static>,
    issuer: Issuer<'static, KeyPair>,
}

impl CertificateAuthority {
    fn new(name: &str) -> Self {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let key = KeyPair::generate().unwrap();
        let certificate = params.self_signed(&key).unwrap();
        Self {
            certificate_pem: certificate.pem(),
            certificate_der: certificate.der().clone(),
            issuer: Issuer::new(params, key),
        }
    }

    /// Issues a leaf certificate and returns `(certificate PEM, certificate DER, key)`.
    fn issue(&self, params: CertificateParams) -> (String, CertificateDer<'static>, KeyPair) {
        let key = KeyPair::generate().unwrap();
        let certificate = params.signed_by(&key, &self.issuer).unwrap();
        (certificate.pem(), certificate.der().clone(), key)
    }

    fn issue_client(&self) -> (String, KeyPair) {
        let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "IncertOnline test RP");
        params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ClientAuth];
        let (pem, _, key) = self.issue(params);
        (pem, key)
    }
}

/// What the server saw on one connection.
#[derive(Debug, Default, Clone)]
struct Seen {
    handshake_failed: bool,
    client_certificates: usize,
    request_head: String,
}

struct TlsServer {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for TlsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// Starts a TLS server on 127.0.0.1 that requires a client certificate from `client_ca` and
/// responds to every request with [`COLLECT_ANSWER`].
async fn start_server(
    server_ca: &CertificateAuthority,
    client_ca: &CertificateAuthority,
) -> TlsServer {
    start_server_trusting(server_ca, client_ca.certificate_der.clone()).await
}

/// Starts the server of [`start_server`] with `client_root` as the only client CA.
async fn start_server_trusting(
    server_ca: &CertificateAuthority,
    client_root: CertificateDer<'static>,
) -> TlsServer {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.subject_alt_names = vec![rcgen::SanType::IpAddress(IpAddr::V4(Ipv4Addr::LOCALHOST))];
    params.extended_key_usages = vec![ExtendedKeyUsagePurpose::ServerAuth];
    let (_, server_der, server_key) = server_ca.issue(params);

    let provider = Arc::new(aws_lc_rs::default_provider());
    let mut client_roots = RootCertStore::empty();
    client_roots.add(client_root).unwrap();
    let verifier =
        WebPkiClientVerifier::builder_with_provider(Arc::new(client_roots), provider.clone())
            .build()
            .unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![server_der],
            PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(server_key.serialize_der())),
        )
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let seen_by_server = seen.clone();
    let task = tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let seen = seen_by_server.clone();
            tokio::spawn(async move {
                let record = serve_connection(acceptor, stream).await;
                seen.lock().unwrap().push(record);
            });
        }
    });
    TlsServer {
        base_url: format!("https://{address}"),
        seen,
        task,
    }
}

async fn serve_connection(acceptor: TlsAcceptor, stream: tokio::net::TcpStream) -> Seen {
    let Ok(mut tls) = acceptor.accept(stream).await else {
        return Seen {
            handshake_failed: true,
            ..Seen::default()
        };
    };
    let client_certificates = tls.get_ref().1.peer_certificates().map_or(0, <[_]>::len);

    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        let Ok(read) = tls.read(&mut chunk).await else {
            break None;
        };
        if read == 0 {
            break None;
        }
        buffer.extend_from_slice(&chunk[..read]);
        if let Some(position) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            break Some(position);
        }
    };
    let request_head = head_end
        .map(|end| String::from_utf8_lossy(&buffer[..end]).into_owned())
        .unwrap_or_default();
    if !request_head.is_empty() {
        let response = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{COLLECT_ANSWER}",
            COLLECT_ANSWER.len()
        );
        let _ = tls.write_all(response.as_bytes()).await;
        let _ = tls.shutdown().await;
    }
    Seen {
        handshake_failed: false,
        client_certificates,
        request_head,
    }
}

impl TlsServer {
    /// Waits up to two seconds for the server to record a connection, because the server task
    /// may finish after the client has already seen its error.
    async fn wait_for_records(&self) -> Vec<Seen> {
        for _ in 0..200 {
            let seen = self.seen.lock().unwrap().clone();
            if !seen.is_empty() {
                return seen;
            }
            tokio::time::sleep(std::time::Duration::from_millis(10)).await;
        }
        panic!("the TLS server recorded no connection");
    }
}

fn client(base_url: &str, tls: TlsConfig) -> Result<BankIdClient, ConfigError> {
    let config = ClientConfig {
        tls: Some(tls),
        ..ClientConfig::new(base_url)
    };
    BankIdClient::new(&config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mutual_tls_request_succeeds() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let server = start_server(&server_ca, &client_ca).await;
    let (client_pem, client_key) = client_ca.issue_client();
    let tls = TlsConfig::from_pem(
        client_pem.as_bytes(),
        client_key.serialize_pem().as_bytes(),
        server_ca.certificate_pem.as_bytes(),
    );

    let response = client(&server.base_url, tls)
        .unwrap()
        .collect("order-1")
        .await
        .unwrap();

    assert_eq!(response.status, CollectStatus::Pending);
    let seen = server.wait_for_records().await;
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert!(!seen[0].handshake_failed);
    assert_eq!(seen[0].client_certificates, 1);
    let head = seen[0].request_head.to_ascii_lowercase();
    assert!(head.starts_with("post /rp/v6.0/collect http/1.1"), "{head}");
    assert!(
        head.contains("\r\ncontent-type: application/json\r\n"),
        "{head}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn certificate_and_key_in_one_file() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let server = start_server(&server_ca, &client_ca).await;
    let (client_pem, client_key) = client_ca.issue_client();

    let directory = tempfile::tempdir().unwrap();
    let identity_path = directory.path().join("client.pem");
    let root_path = directory.path().join("root.pem");
    std::fs::write(
        &identity_path,
        format!("{client_pem}{}", client_key.serialize_pem()),
    )
    .unwrap();
    std::fs::write(&root_path, &server_ca.certificate_pem).unwrap();
    let tls = TlsConfig::from_files(&identity_path, &identity_path, &root_path).unwrap();

    let response = client(&server.base_url, tls)
        .unwrap()
        .collect("order-1")
        .await
        .unwrap();
    assert_eq!(response.order_ref, "order-1");

    let missing = directory.path().join("missing.pem");
    let error = TlsConfig::from_files(&missing, &missing, &root_path).unwrap_err();
    assert!(matches!(error, ConfigError::ReadFile { .. }), "{error:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_outside_configured_root_is_rejected() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let foreign_ca = CertificateAuthority::new("Foreign root");
    let server = start_server(&server_ca, &client_ca).await;
    let (client_pem, client_key) = client_ca.issue_client();
    let tls = TlsConfig::from_pem(
        client_pem.as_bytes(),
        client_key.serialize_pem().as_bytes(),
        foreign_ca.certificate_pem.as_bytes(),
    );

    let error = client(&server.base_url, tls)
        .unwrap()
        .collect("order-1")
        .await
        .unwrap_err();

    assert!(matches!(error, BankIdError::Transport { .. }), "{error:?}");
    let seen = server.wait_for_records().await;
    assert!(
        seen.iter().all(|record| record.handshake_failed),
        "{seen:?}"
    );
    assert!(
        seen.iter().all(|record| record.request_head.is_empty()),
        "{seen:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_certificate_from_unknown_issuer_is_rejected() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let foreign_ca = CertificateAuthority::new("Foreign RP CA");
    let server = start_server(&server_ca, &client_ca).await;
    let (client_pem, client_key) = foreign_ca.issue_client();
    let tls = TlsConfig::from_pem(
        client_pem.as_bytes(),
        client_key.serialize_pem().as_bytes(),
        server_ca.certificate_pem.as_bytes(),
    );

    let error = client(&server.base_url, tls)
        .unwrap()
        .collect("order-1")
        .await
        .unwrap_err();

    assert!(matches!(error, BankIdError::Transport { .. }), "{error:?}");
    let seen = server.wait_for_records().await;
    assert!(
        seen.iter().all(|record| record.handshake_failed),
        "{seen:?}"
    );
    assert!(
        seen.iter().all(|record| record.request_head.is_empty()),
        "{seen:?}"
    );
}

#[test]
fn expired_client_certificate_is_rejected() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.not_before = rcgen::date_time_ymd(2020, 1, 1);
    params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    let (client_pem, _, client_key) = client_ca.issue(params);
    let tls = TlsConfig::from_pem(
        client_pem.as_bytes(),
        client_key.serialize_pem().as_bytes(),
        server_ca.certificate_pem.as_bytes(),
    );

    let error = client("https://127.0.0.1:1", tls).unwrap_err();

    assert!(
        matches!(error, ConfigError::CertificateExpired { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("2021-01-01"), "{error}");
}

#[test]
fn invalid_pem_is_rejected() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let client_ca = CertificateAuthority::new("Test RP CA");
    let (client_pem, _) = client_ca.issue_client();

    let no_key = TlsConfig::from_pem(
        client_pem.as_bytes(),
        b"",
        server_ca.certificate_pem.as_bytes(),
    );
    let error = client("https://127.0.0.1:1", no_key).unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::InvalidPem {
                what: "client certificate or private key",
                ..
            }
        ),
        "{error:?}"
    );

    let (_, key) = client_ca.issue_client();
    let no_certificate = TlsConfig::from_pem(
        key.serialize_pem().as_bytes(),
        b"",
        server_ca.certificate_pem.as_bytes(),
    );
    let error = client("https://127.0.0.1:1", no_certificate).unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::InvalidPem {
                what: "client certificate",
                ..
            }
        ),
        "{error:?}"
    );

    let (client_pem, client_key) = client_ca.issue_client();
    let no_root = TlsConfig::from_pem(
        client_pem.as_bytes(),
        client_key.serialize_pem().as_bytes(),
        b"",
    );
    let error = client("https://127.0.0.1:1", no_root).unwrap_err();
    assert!(
        matches!(
            error,
            ConfigError::InvalidPem {
                what: "BankID root certificate",
                ..
            }
        ),
        "{error:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pkcs12_identity_completes_handshake() {
    let server_ca = CertificateAuthority::new("Test BankID root");
    let directory = tempfile::tempdir().unwrap();
    let root_path = directory.path().join("root.pem");
    std::fs::write(&root_path, &server_ca.certificate_pem).unwrap();

    for file in ["modern.p12", "legacy.p12"] {
        let server = start_server_trusting(&server_ca, fixture_certificate("root-ca.pem")).await;
        let tls =
            TlsConfig::from_pkcs12_file(&fixture_path(file), FIXTURE_PASSWORD, &root_path).unwrap();

        let response = client(&server.base_url, tls)
            .unwrap()
            .collect("order-1")
            .await
            .unwrap_or_else(|error| panic!("{file}: {error:?}"));

        assert_eq!(response.status, CollectStatus::Pending, "{file}");
        let seen = server.wait_for_records().await;
        assert_eq!(seen.len(), 1, "{file}: {seen:?}");
        assert!(!seen[0].handshake_failed, "{file}");
        // Leaf, intermediate and root, so the server could build the chain.
        assert_eq!(seen[0].client_certificates, 3, "{file}");
    }
}
