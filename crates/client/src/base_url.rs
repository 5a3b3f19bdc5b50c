//! The server's base URL and the endpoint URLs built from it.

use std::fmt;

use reqwest::Url;

use crate::error::ClientError;

/// The validated base URL of an IncertOnline server, such as `https://incert.example.se` or
/// `https://example.se/incert/` when the API is served under a path prefix.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

impl BaseUrl {
    /// Parses and checks a base URL. It must be absolute `http` or `https` with a host, and
    /// have no user name, password, query or fragment, because endpoint URLs are built by
    /// appending path segments to it.
    pub fn parse(input: &str) -> Result<Self, ClientError> {
        let url = Url::parse(input.trim())
            .map_err(|error| ClientError::InvalidBaseUrl(error.to_string()))?;

        if !matches!(url.scheme(), "http" | "https") {
            return Err(ClientError::InvalidBaseUrl(format!(
                "scheme {:?} is not http or https",
                url.scheme()
            )));
        }
        if url.host().is_none() || url.cannot_be_a_base() {
            return Err(ClientError::InvalidBaseUrl(
                "the URL has no host".to_owned(),
            ));
        }
        if !url.username().is_empty() || url.password().is_some() {
            // The input is not echoed, because it contains a credential.
            return Err(ClientError::InvalidBaseUrl(
                "the URL contains a user name or password; remove them".to_owned(),
            ));
        }
        if url.query().is_some() || url.fragment().is_some() {
            return Err(ClientError::InvalidBaseUrl(
                "the URL has a query or fragment; give only scheme, host, port and path".to_owned(),
            ));
        }

        Ok(Self(url))
    }

    /// Returns the URL as parsed.
    pub fn as_url(&self) -> &Url {
        &self.0
    }

    /// Builds the URL of an endpoint by appending `segments` to the base path. Each segment is
    /// percent-encoded on its own, so a `/`, `?`, `#` or `%` inside an id stays part of that
    /// segment.
    ///
    /// Returns [`ClientError::InvalidId`] for an empty, `.` or `..` segment. URL parsers treat
    /// those as the current or parent directory even when percent-encoded, so they would
    /// address another endpoint.
    pub(crate) fn join(&self, segments: &[&str]) -> Result<Url, ClientError> {
        if let Some(segment) = segments
            .iter()
            .find(|segment| matches!(**segment, "" | "." | ".."))
        {
            return Err(ClientError::InvalidId((*segment).to_owned()));
        }

        let mut url = self.0.clone();
        // `path_segments_mut` fails only for URLs that cannot be a base, which `parse` rejects.
        if let Ok(mut path) = url.path_segments_mut() {
            path.pop_if_empty().extend(segments);
        }
        Ok(url)
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, formatter)
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter
            .debug_tuple("BaseUrl")
            .field(&self.0.as_str())
            .finish()
    }
}

#[cfg(test)]
#[allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "a test fails by panicking"
)]
mod tests {
    use super::*;

    fn base(input: &str) -> BaseUrl {
        BaseUrl::parse(input).expect("valid base URL")
    }

    #[test]
    fn join_appends_to_host_root() {
        let url = base("http://127.0.0.1:8080")
            .join(&["api", "v1", "me"])
            .expect("valid segments");

        assert_eq!(url.as_str(), "http://127.0.0.1:8080/api/v1/me");
    }

    #[test]
    fn join_keeps_path_prefix() {
        let with_slash = base("https://example.se/incert/")
            .join(&["healthz"])
            .expect("valid segments");
        let without_slash = base("https://example.se/incert")
            .join(&["healthz"])
            .expect("valid segments");

        assert_eq!(with_slash.as_str(), "https://example.se/incert/healthz");
        assert_eq!(without_slash.as_str(), "https://example.se/incert/healthz");
    }

    #[test]
    fn join_encodes_each_segment() {
        let cases = [
            ("a/b", "a%2Fb"),
            ("a?b", "a%3Fb"),
            ("a#b", "a%23b"),
            ("100%", "100%25"),
            ("a b", "a%20b"),
            ("...", "..."),
            ("åäö", "%C3%A5%C3%A4%C3%B6"),
        ];
        for (segment, encoded) in cases {
            let url = base("http://localhost")
                .join(&["api", "v1", "me", "sessions", segment])
                .expect("valid segments");

            assert_eq!(
                url.as_str(),
                format!("http://localhost/api/v1/me/sessions/{encoded}"),
                "segment {segment:?}"
            );
            assert_eq!(url.query(), None, "segment {segment:?}");
            assert_eq!(url.fragment(), None, "segment {segment:?}");
        }
    }

    #[test]
    fn join_rejects_dot_and_empty_segments() {
        for segment in ["", ".", ".."] {
            let result = base("http://localhost").join(&["api", "v1", "me", "sessions", segment]);

            assert_eq!(
                result,
                Err(ClientError::InvalidId(segment.to_owned())),
                "segment {segment:?}"
            );
        }
    }

    #[test]
    fn parse_rejects_unusable_urls() {
        let cases = [
            "",
            "/api",
            "127.0.0.1:8080",
            "ftp://example.se",
            "mailto:someone@example.se",
            "http://user:secret@example.se",
            "http://example.se/?tenant=1",
            "http://example.se/#top",
        ];
        for input in cases {
            let result = BaseUrl::parse(input);

            assert!(
                matches!(result, Err(ClientError::InvalidBaseUrl(_))),
                "{input:?} gave {result:?}"
            );
        }
    }

    #[test]
    fn parse_error_does_not_echo_password() {
        let error = BaseUrl::parse("http://user:secret@example.se").unwrap_err();

        assert!(!error.to_string().contains("secret"), "{error}");
    }
}
