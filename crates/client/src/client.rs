//! The client value, its settings and the request plumbing every endpoint shares.

use std::fmt;

use incert_contract::auth::PreferredLanguage;
use reqwest::header::{ACCEPT, ACCEPT_LANGUAGE, HeaderMap};
use reqwest::{Method, RequestBuilder, StatusCode};
use serde::de::DeserializeOwned;

use crate::base_url::BaseUrl;
use crate::error::{self, ClientError};

/// A client of one IncertOnline server.
///
/// Cloning is cheap and clones share the connection pool. Each clone has its own language and
/// access token.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    base_url: BaseUrl,
    language: PreferredLanguage,
    access_token: Option<String>,
}

impl Client {
    /// Creates a client of the server at `base_url`, such as `https://incert.example.se`, with
    /// reqwest's default settings.
    ///
    /// In the browser, pass the page's origin (`window.location.origin`) so that the refresh
    /// cookie is sent: `fetch` sends cookies with same-origin requests only.
    pub fn new(base_url: &str) -> Result<Self, ClientError> {
        Self::with_http(base_url, reqwest::Client::new())
    }

    /// Creates a client that sends its requests through `http`, for example one built with a
    /// timeout, a proxy or extra root certificates.
    pub fn with_http(base_url: &str, http: reqwest::Client) -> Result<Self, ClientError> {
        Ok(Self {
            http,
            base_url: BaseUrl::parse(base_url)?,
            language: PreferredLanguage::default(),
            access_token: None,
        })
    }

    /// Sets the language of the texts in responses, such as problem titles and field messages.
    /// Swedish is the default.
    pub fn with_language(mut self, language: PreferredLanguage) -> Self {
        self.language = language;
        self
    }

    /// Sets the access token sent as `Authorization: Bearer` to endpoints that need one.
    pub fn with_access_token(mut self, access_token: impl Into<String>) -> Self {
        self.set_access_token(access_token);
        self
    }

    /// Changes the language of the texts in responses.
    pub fn set_language(&mut self, language: PreferredLanguage) {
        self.language = language;
    }

    /// Replaces the access token, such as after a login, a refresh or a password change.
    pub fn set_access_token(&mut self, access_token: impl Into<String>) {
        self.access_token = Some(access_token.into());
    }

    /// Forgets the access token, such as after a logout. Later calls send no `Authorization`
    /// header.
    pub fn clear_access_token(&mut self) {
        self.access_token = None;
    }

    /// Returns whether an access token is set.
    pub fn has_access_token(&self) -> bool {
        self.access_token.is_some()
    }

    /// Returns the language the client asks for.
    pub fn language(&self) -> PreferredLanguage {
        self.language
    }

    /// Returns the server's base URL.
    pub fn base_url(&self) -> &BaseUrl {
        &self.base_url
    }

    /// Starts a request to the endpoint at `segments` below the base URL, without credentials.
    pub(crate) fn request(
        &self,
        method: Method,
        segments: &[&str],
    ) -> Result<RequestBuilder, ClientError> {
        let url = self.base_url.join(segments)?;
        Ok(self.start(method, url))
    }

    /// Starts a request to `url` with the headers every request carries.
    fn start(&self, method: Method, url: reqwest::Url) -> RequestBuilder {
        let language = match self.language {
            PreferredLanguage::Sv => "sv",
            PreferredLanguage::En => "en",
        };
        self.http
            .request(method, url)
            .header(ACCEPT, "application/json, application/problem+json")
            .header(ACCEPT_LANGUAGE, language)
    }

    /// Adds the access token to `request`, when one is set.
    fn with_token(&self, request: RequestBuilder) -> RequestBuilder {
        match &self.access_token {
            Some(token) => request.bearer_auth(token),
            None => request,
        }
    }

    /// Starts a request like [`Client::authorized`], with `pairs` as the URL's query string.
    /// Pairs whose value is `None` are left out.
    pub(crate) fn authorized_with_query(
        &self,
        method: Method,
        segments: &[&str],
        pairs: &[(&str, Option<&str>)],
    ) -> Result<RequestBuilder, ClientError> {
        let mut url = self.base_url.join(segments)?;
        let present: Vec<(&str, &str)> = pairs
            .iter()
            .filter_map(|(name, value)| value.map(|value| (*name, value)))
            .collect();
        if !present.is_empty() {
            url.query_pairs_mut().extend_pairs(present);
        }
        Ok(self.with_token(self.start(method, url)))
    }

    /// Starts a request that carries the access token, when one is set. Without a token the
    /// request goes out anyway and the server rejects it with `authentication_required`.
    pub(crate) fn authorized(
        &self,
        method: Method,
        segments: &[&str],
    ) -> Result<RequestBuilder, ClientError> {
        let request = self.request(method, segments)?;
        Ok(self.with_token(request))
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_struct("Client")
            .field("base_url", &self.base_url)
            .field("language", &self.language)
            .field(
                "access_token",
                &self.access_token.as_ref().map(|_| "[redacted]"),
            )
            .finish_non_exhaustive()
    }
}

/// A received response, read in full.
pub(crate) struct ReceivedResponse {
    pub(crate) status: StatusCode,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
}

impl ReceivedResponse {
    /// Sends `request` and reads the whole response, whatever its status.
    pub(crate) async fn fetch(request: RequestBuilder) -> Result<Self, ClientError> {
        let response = request.send().await.map_err(error::transport_error)?;
        let status = response.status();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(error::transport_error)?
            .to_vec();
        Ok(Self {
            status,
            headers,
            body,
        })
    }

    /// Decodes a success body as `T`, or the error response.
    pub(crate) fn json<T: DeserializeOwned>(self) -> Result<T, ClientError> {
        if self.status.is_success() {
            error::decode_success(self.status, &self.body)
        } else {
            Err(self.into_error())
        }
    }

    /// Returns a success body as raw bytes, or the error response.
    pub(crate) fn bytes(self) -> Result<Vec<u8>, ClientError> {
        if self.status.is_success() {
            Ok(self.body)
        } else {
            Err(self.into_error())
        }
    }

    /// Accepts any success status and ignores the body, such as for `204 No Content`.
    pub(crate) fn empty(self) -> Result<(), ClientError> {
        if self.status.is_success() {
            Ok(())
        } else {
            Err(self.into_error())
        }
    }

    pub(crate) fn into_error(self) -> ClientError {
        error::error_from_response(self.status, &self.headers, &self.body)
    }
}

/// Sends `request` and decodes the success body as `T`.
pub(crate) async fn send_json<T: DeserializeOwned>(
    request: RequestBuilder,
) -> Result<T, ClientError> {
    ReceivedResponse::fetch(request).await?.json()
}

/// Sends `request` and returns the success body unread, such as a PDF.
pub(crate) async fn send_bytes(request: RequestBuilder) -> Result<Vec<u8>, ClientError> {
    ReceivedResponse::fetch(request).await?.bytes()
}

/// Sends `request` and expects a success status without a body to read.
pub(crate) async fn send_empty(request: RequestBuilder) -> Result<(), ClientError> {
    ReceivedResponse::fetch(request).await?.empty()
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test fails by panicking"
)]
mod tests {
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::thread::JoinHandle;
    use std::time::Duration;

    use incert_contract::ErrorCode;
    use incert_contract::auth::{LoginCodeRequest, PreferredLanguage};

    use super::*;

    /// Serves one request on a loopback port with an HTTP/1.1 response of `status` (such as
    /// `200 OK`), the header lines `headers` (each ending in CRLF) and `body`. Returns the base
    /// URL and a handle that yields the request as received.
    fn serve_once(
        status: &'static str,
        headers: &'static str,
        body: &'static str,
    ) -> (String, JoinHandle<String>) {
        let response = format!(
            "HTTP/1.1 {status}\r\n{headers}Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        );
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
        let address = listener.local_addr().expect("local address");
        let handle = std::thread::spawn(move || {
            let (mut stream, _) = listener.accept().expect("accept");
            stream
                .set_read_timeout(Some(Duration::from_secs(10)))
                .expect("read timeout");
            let mut received = Vec::new();
            let mut buffer = [0_u8; 4096];
            let head_end = loop {
                let read = stream.read(&mut buffer).expect("read request");
                assert!(read > 0, "connection closed before the request ended");
                received.extend_from_slice(&buffer[..read]);
                if let Some(position) = received.windows(4).position(|window| window == b"\r\n\r\n")
                {
                    break position + 4;
                }
            };
            let head = String::from_utf8_lossy(&received[..head_end]).into_owned();
            let content_length = head
                .lines()
                .find_map(|line| {
                    let (name, value) = line.split_once(':')?;
                    name.eq_ignore_ascii_case("content-length")
                        .then(|| value.trim().parse::<usize>().ok())?
                })
                .unwrap_or(0);
            while received.len() < head_end + content_length {
                let read = stream.read(&mut buffer).expect("read body");
                assert!(read > 0, "connection closed before the body ended");
                received.extend_from_slice(&buffer[..read]);
            }
            stream
                .write_all(response.as_bytes())
                .expect("write response");
            String::from_utf8_lossy(&received).into_owned()
        });
        (format!("http://{address}"), handle)
    }

    #[tokio::test]
    async fn request_carries_language_token_and_encoded_id() {
        let (base_url, server) = serve_once("204 No Content", "", "");
        let client = Client::new(&base_url)
            .unwrap()
            .with_language(PreferredLanguage::En)
            .with_access_token("access-token-1");

        client.revoke_session("a/b?c").await.unwrap();

        let request = server.join().unwrap();
        let lower = request.to_ascii_lowercase();
        assert!(
            request.starts_with("DELETE /api/v1/me/sessions/a%2Fb%3Fc HTTP/1.1\r\n"),
            "{request}"
        );
        assert!(lower.contains("\r\naccept-language: en\r\n"), "{request}");
        assert!(
            lower.contains("\r\nauthorization: bearer access-token-1\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn request_without_token_has_no_authorization() {
        let (base_url, server) = serve_once(
            "200 OK",
            "Content-Type: application/json\r\n",
            r#"{"status":"ok","version":"9.9"}"#,
        );
        let client = Client::new(&base_url).unwrap();

        let liveness = client.liveness().await.unwrap();

        let request = server.join().unwrap().to_ascii_lowercase();
        assert_eq!(liveness.version, "9.9");
        assert!(
            request.starts_with("get /healthz http/1.1\r\n"),
            "{request}"
        );
        assert!(request.contains("\r\naccept-language: sv\r\n"), "{request}");
        assert!(!request.contains("authorization"), "{request}");
    }

    #[tokio::test]
    async fn problem_response_becomes_api_error() {
        let (base_url, server) = serve_once(
            "429 Too Many Requests",
            "Content-Type: application/problem+json\r\nRetry-After: 42\r\n",
            r#"{"type":"about:blank","title":"Too early","status":429,"code":"resend_too_early"}"#,
        );
        let client = Client::new(&base_url).unwrap();

        let error = client.resend_login_code("challenge-1").await.unwrap_err();

        server.join().unwrap();
        assert_eq!(error.code(), Some(ErrorCode::ResendTooEarly));
        assert_eq!(error.status(), Some(429));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(42)));
    }

    #[tokio::test]
    async fn readiness_accepts_not_ready_body() {
        let (base_url, server) = serve_once(
            "503 Service Unavailable",
            "Content-Type: application/json\r\nRetry-After: 5\r\n",
            r#"{"status":"not_ready","database":"down"}"#,
        );
        let client = Client::new(&base_url).unwrap();

        let readiness = client.readiness().await.unwrap();

        server.join().unwrap();
        assert_eq!(readiness.status, "not_ready");
        assert_eq!(
            readiness.database,
            incert_contract::health::DependencyState::Down
        );
    }

    #[tokio::test]
    async fn readiness_503_problem_is_api_error() {
        let (base_url, server) = serve_once(
            "503 Service Unavailable",
            "Content-Type: application/problem+json\r\nRetry-After: 5\r\n",
            r#"{"type":"about:blank","title":"Unavailable","status":503,"code":"service_unavailable"}"#,
        );
        let client = Client::new(&base_url).unwrap();

        let error = client.readiness().await.unwrap_err();

        server.join().unwrap();
        assert_eq!(error.code(), Some(ErrorCode::ServiceUnavailable));
        assert_eq!(error.retry_after(), Some(Duration::from_secs(5)));
    }

    #[tokio::test]
    async fn refused_connection_is_transport_error_without_path() {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|listener| listener.local_addr())
            .unwrap()
            .port();
        let client = Client::new(&format!("http://127.0.0.1:{port}")).unwrap();
        let request = LoginCodeRequest {
            code: "123456".to_owned(),
            include_refresh_token: true,
        };

        let error = client
            .submit_login_code("challenge-77", &request)
            .await
            .unwrap_err();

        assert!(matches!(error, ClientError::Transport(_)), "{error:?}");
        let message = format!("{error} {error:?}");
        assert!(!message.contains("challenge-77"), "{message}");
        assert!(!message.contains("123456"), "{message}");
        assert!(message.to_lowercase().contains("refused"), "{message}");
    }

    #[tokio::test]
    async fn certificates_query_is_encoded() {
        let (base_url, server) = serve_once(
            "200 OK",
            "Content-Type: application/json\r\n",
            r#"{"grouping":"status","groups":[],"total":0}"#,
        );
        let client = Client::new(&base_url)
            .unwrap()
            .with_access_token("access-token-4");
        let query = incert_contract::certification::CertificateQuery {
            q: Some("kat 1&2".to_owned()),
            group_by: incert_contract::certification::CertificateGrouping::Status,
        };

        let list = client.certificates(&query).await.unwrap();

        let request = server.join().unwrap();
        assert_eq!(list.total, 0);
        assert!(
            request.starts_with(
                "GET /api/v1/me/certificates?q=kat+1%262&group_by=status HTTP/1.1\r\n"
            ),
            "{request}"
        );
        assert!(
            request
                .to_ascii_lowercase()
                .contains("\r\nauthorization: bearer access-token-4\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn certificates_blank_search_is_left_out() {
        let (base_url, server) = serve_once(
            "200 OK",
            "Content-Type: application/json\r\n",
            r#"{"grouping":"none","groups":[],"total":0}"#,
        );
        let client = Client::new(&base_url).unwrap();
        let query = incert_contract::certification::CertificateQuery {
            q: Some("  ".to_owned()),
            group_by: incert_contract::certification::CertificateGrouping::None,
        };

        client.certificates(&query).await.unwrap();

        let request = server.join().unwrap();
        assert!(
            request.starts_with("GET /api/v1/me/certificates?group_by=none HTTP/1.1\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn certificate_pdf_returns_raw_body() {
        let (base_url, server) = serve_once(
            "200 OK",
            "Content-Type: application/pdf\r\n",
            "%PDF-1.7 body",
        );
        let client = Client::new(&base_url).unwrap();

        let bytes = client.certificate_pdf("INC-2026-000001").await.unwrap();

        let request = server.join().unwrap();
        assert_eq!(bytes, b"%PDF-1.7 body");
        assert!(
            request.starts_with("GET /api/v1/me/certificates/INC-2026-000001/pdf HTTP/1.1\r\n"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn certificate_pdf_error_is_api_error() {
        let (base_url, server) = serve_once(
            "404 Not Found",
            "Content-Type: application/problem+json\r\n",
            r#"{"type":"about:blank","title":"Not found","status":404,"code":"not_found"}"#,
        );
        let client = Client::new(&base_url).unwrap();

        let error = client.certificate_pdf("INC-2026-000009").await.unwrap_err();

        server.join().unwrap();
        assert_eq!(error.code(), Some(ErrorCode::NotFound));
        assert_eq!(error.status(), Some(404));
    }

    #[test]
    fn debug_hides_access_token() {
        let client = Client::new("http://127.0.0.1:8080")
            .unwrap()
            .with_access_token("access-token-2");

        let debug = format!("{client:?}");

        assert!(!debug.contains("access-token-2"), "{debug}");
        assert!(debug.contains("[redacted]"), "{debug}");
        assert!(client.has_access_token());
    }

    #[test]
    fn clear_access_token_forgets_it() {
        let mut client = Client::new("http://127.0.0.1:8080")
            .unwrap()
            .with_access_token("access-token-3");

        client.clear_access_token();

        assert!(!client.has_access_token());
        assert!(format!("{client:?}").contains("access_token: None"));
    }

    #[test]
    fn new_rejects_invalid_base_url() {
        let result = Client::new("not a url");

        assert!(matches!(result, Err(ClientError::InvalidBaseUrl(_))));
    }
}
