//! A test server per test, on a fresh database of the chosen backend.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use diesel::{Connection, RunQueryDsl};
use incert_api::config::{MailTransportKind, Secret, Settings};
use incert_api::http::AppState;
use incert_api::server::Server;
use incert_api::storage::Database;
use tempfile::TempDir;

/// Runs each named async test function, which takes a [`Backend`], once per backend.
#[macro_export]
macro_rules! on_both_backends {
    ($($name:ident),+ $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Backend::Sqlite).await;
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Backend::Postgres).await;
                }
            }
        )+
    };
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Reads a variable that `make test` sets, failing the test with a hint when it is missing.
pub fn required_env(name: &str) -> String {
    std::env::var(name).unwrap_or_else(|_| {
        panic!("{name} is not set: run the tests with `make test`, which starts PostgreSQL and an SMTP server")
    })
}

/// Creates an empty database for one test and returns its URL.
pub fn fresh_database_url(backend: Backend, directory: &Path) -> String {
    match backend {
        Backend::Sqlite => format!("sqlite://{}", directory.join("incert.db").display()),
        Backend::Postgres => {
            let admin_url = required_env("INCERT_TEST_POSTGRES_URL");
            let name = format!("test_{}", uuid::Uuid::new_v4().simple());
            let mut admin = diesel::PgConnection::establish(&admin_url)
                .unwrap_or_else(|error| panic!("cannot reach the test PostgreSQL: {error}"));
            diesel::sql_query(format!("CREATE DATABASE {name}"))
                .execute(&mut admin)
                .unwrap_or_else(|error| panic!("cannot create database {name}: {error}"));
            let (base, _) = admin_url
                .rsplit_once('/')
                .unwrap_or_else(|| panic!("INCERT_TEST_POSTGRES_URL has no database name"));
            format!("{base}/{name}")
        }
    }
}

/// Settings for a test server: a fresh database, port 0, file mail in a temporary directory.
pub fn test_settings(backend: Backend, directory: &Path) -> Settings {
    Settings {
        database_url: Some(Secret::new(fresh_database_url(backend, directory))),
        database_pool_size: 4,
        database_timeout_seconds: 2,
        listen: SocketAddr::from(([127, 0, 0, 1], 0)),
        data_dir: directory.to_path_buf(),
        mail_transport: MailTransportKind::File,
        mail_poll_interval_ms: 50,
        mail_retry_base_ms: 50,
        mail_retry_max_ms: 200,
        smtp_timeout_seconds: 5,
        log_filter: "warn".to_owned(),
        // Cheaper than the OWASP default so the suite stays fast; the hashing code path is the same.
        password_hash_memory_kib: 4_096,
        password_hash_iterations: 1,
        ..Settings::default()
    }
}

/// Sends the server's log to the test output when `INCERT_TEST_LOG` holds a filter such as
/// `debug`.
fn init_test_logging() {
    if let Ok(filter) = std::env::var("INCERT_TEST_LOG") {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}

/// A running server and what a test needs to reach it.
pub struct TestApp {
    pub address: String,
    pub client: reqwest::Client,
    pub state: actix_web::web::Data<AppState>,
    pub directory: TempDir,
}

impl TestApp {
    /// Starts a server without a mail worker; tests that deliver mail drive workers
    /// themselves.
    pub async fn spawn(backend: Backend) -> Self {
        Self::spawn_with(backend, |_| {}).await
    }

    /// Starts a server whose mail worker delivers to the SMTP server that `make test` started.
    pub async fn spawn_with_mail(backend: Backend) -> Self {
        Self::spawn_with_mail_and(backend, |_| {}).await
    }

    /// Starts a server like [`TestApp::spawn_with_mail`] with further settings changed.
    pub async fn spawn_with_mail_and(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::spawn_with_worker(backend, |settings| {
            settings.mail_transport = MailTransportKind::Smtp;
            settings.smtp_url = Some(Secret::new(format!(
                "smtp://127.0.0.1:{}",
                required_env("INCERT_TEST_SMTP_PORT")
            )));
            adjust(settings);
        })
        .await
    }

    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::start(backend, adjust, false).await
    }

    pub async fn spawn_with_worker(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Self {
        Self::start(backend, adjust, true).await
    }

    async fn start(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
        with_worker: bool,
    ) -> Self {
        init_test_logging();
        let directory = tempfile::tempdir().unwrap_or_else(|error| panic!("tempdir: {error}"));
        let mut settings = test_settings(backend, directory.path());
        adjust(&mut settings);
        let server = Server::build(settings, with_worker)
            .await
            .unwrap_or_else(|error| panic!("server did not start: {error}"));
        let address = server
            .local_addr()
            .unwrap_or_else(|error| panic!("no local address: {error}"));
        let state = server.state();
        tokio::spawn(server.run());
        Self {
            address: format!("http://{address}"),
            client: reqwest::Client::builder()
                .timeout(Duration::from_secs(30))
                .build()
                .unwrap_or_else(|error| panic!("client: {error}")),
            state,
            directory,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.address)
    }

    pub fn database(&self) -> &Database {
        &self.state.database
    }

    pub fn mail_dir(&self) -> PathBuf {
        self.directory.path().join("mail")
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client
            .get(self.url(path))
            .send()
            .await
            .unwrap_or_else(|error| panic!("GET {path}: {error}"))
    }

    /// Posts a raw body with the given content type.
    pub async fn post_raw(
        &self,
        path: &str,
        content_type: &str,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::Response {
        self.client
            .post(self.url(path))
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap_or_else(|error| panic!("POST {path}: {error}"))
    }

    pub async fn post_json(&self, path: &str, body: &serde_json::Value) -> reqwest::Response {
        self.post_raw(path, "application/json", body.to_string())
            .await
    }
}

/// Reads a response body as JSON, failing the test with the raw body when it is not.
pub async fn json_body(response: reqwest::Response) -> serde_json::Value {
    let text = response
        .text()
        .await
        .unwrap_or_else(|error| panic!("body: {error}"));
    serde_json::from_str(&text).unwrap_or_else(|error| panic!("not JSON ({error}): {text}"))
}

/// Returns the value of a response header as text.
pub fn header(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get(name)
        .and_then(|value| value.to_str().ok())
        .map(str::to_owned)
}

/// Polls `condition` every 50 ms until it holds or `timeout` passes.
pub async fn wait_until<F, Fut>(timeout: Duration, mut condition: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + timeout;
    while tokio::time::Instant::now() < deadline {
        if condition().await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    condition().await
}

/// Reserves a free loopback port by binding port 0 and releasing it.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .unwrap_or_else(|error| panic!("no free port: {error}"))
}
