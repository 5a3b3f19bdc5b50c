//! A query string extractor whose failures name the parameter at fault.

use std::future::{Ready, ready};

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;

use super::error::{ApiError, FieldIssue};
use super::json::data_issue;

/// Query parameters read as `T`. Unlike `actix_web::web::Query`, a failure is a 422 problem
/// that names the parameter, such as `per_page` for `per_page=many`.
#[derive(Debug)]
pub struct Query<T>(pub T);

impl<T> Query<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Query<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(request: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(parse(request.query_string()).map(Query))
    }
}

/// Deserialises a query string, turning serde's error into a field issue.
pub fn parse<T: DeserializeOwned>(query: &str) -> Result<T, ApiError> {
    let pairs = form_urlencoded::parse(query.as_bytes());
    let deserializer = serde_urlencoded::Deserializer::new(pairs);
    serde_path_to_error::deserialize(deserializer).map_err(|error| {
        let path = error.path().to_string();
        let issue = data_issue(&path, &error.into_inner().to_string());
        tracing::debug!(field = %issue.field, "invalid query string");
        ApiError::Validation(vec![rename_body(issue)])
    })
}

/// Returns the issue with the field `query` when it names no parameter.
fn rename_body(issue: FieldIssue) -> FieldIssue {
    if issue.field == "body" {
        FieldIssue::new("query", issue.code)
    } else {
        issue
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Page {
        page: Option<u32>,
        state: Option<State>,
    }

    #[derive(Debug, PartialEq, Eq, serde::Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum State {
        Received,
    }

    fn issue_of(query: &str) -> Option<FieldIssue> {
        match parse::<Page>(query) {
            Err(ApiError::Validation(issues)) => issues.into_iter().next(),
            _ => None,
        }
    }

    #[test]
    fn parse_names_the_parameter() {
        let cases = [
            ("page=many", "page", "invalid_value"),
            ("state=sleeping", "state", "invalid_value"),
            ("page=1&page=2", "page", "duplicate_field"),
            ("colour=red", "colour", "unknown_field"),
            ("page=-1", "page", "invalid_value"),
        ];
        for (query, field, code) in cases {
            assert_eq!(
                issue_of(query),
                Some(FieldIssue::new(field, code)),
                "{query}"
            );
        }
    }

    #[test]
    fn parse_accepts_valid_query() {
        let parsed = parse::<Page>("page=2&state=received");
        assert!(
            matches!(
                &parsed,
                Ok(Page {
                    page: Some(2),
                    state: Some(State::Received)
                })
            ),
            "{parsed:?}"
        );
        let empty = parse::<Page>("");
        assert!(
            matches!(
                &empty,
                Ok(Page {
                    page: None,
                    state: None
                })
            ),
            "{empty:?}"
        );
    }
}
