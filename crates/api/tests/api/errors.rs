use serde_json::json;

use crate::helpers::{Backend, TestApp, header, json_body};

const PROBLEM: &str = "application/problem+json";

#[tokio::test]
async fn unknown_path_is_problem_in_swedish() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app.get("/api/v1/no-such-thing").await;

    assert_eq!(response.status(), 404);
    assert_eq!(header(&response, "content-type").as_deref(), Some(PROBLEM));
    assert_eq!(header(&response, "content-language").as_deref(), Some("sv"));
    let request_id = header(&response, "x-request-id");
    let body = json_body(response).await;
    assert_eq!(body["code"], "not_found");
    assert_eq!(body["status"], 404);
    assert_eq!(body["title"], "Hittades inte");
    assert_eq!(body["request_id"].as_str(), request_id.as_deref());
}

#[tokio::test]
async fn accept_language_english_gives_english_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .client
        .get(app.url("/api/v1/no-such-thing"))
        .header("accept-language", "en-GB,en;q=0.9,sv;q=0.5")
        .send()
        .await
        .expect("request");

    assert_eq!(header(&response, "content-language").as_deref(), Some("en"));
    let body = json_body(response).await;
    assert_eq!(body["title"], "Not found");
}

#[tokio::test]
async fn wrong_method_is_405_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .client
        .delete(app.url("/healthz"))
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 405);
    assert_eq!(header(&response, "content-type").as_deref(), Some(PROBLEM));
    assert_eq!(header(&response, "allow").as_deref(), Some("GET, HEAD"));
    assert_eq!(json_body(response).await["code"], "method_not_allowed");

    // Resources with several methods list them all, HEAD with GET.
    let me = app
        .client
        .delete(app.url("/api/v1/me"))
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), 405);
    assert_eq!(header(&me, "allow").as_deref(), Some("GET, HEAD, PATCH"));
    let head = app
        .client
        .head(app.url("/api/v1/me"))
        .send()
        .await
        .expect("request");
    assert_eq!(head.status(), 401);
    // Without a token the body is not looked at.
    let malformed = app
        .client
        .patch(app.url("/api/v1/me"))
        .header("content-type", "application/json")
        .body("{")
        .send()
        .await
        .expect("request");
    assert_eq!(malformed.status(), 401);
}

#[tokio::test]
async fn head_is_answered_like_get() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .client
        .head(app.url("/healthz"))
        .send()
        .await
        .expect("request");

    assert_eq!(response.status(), 200);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/json")
    );
}

#[tokio::test]
async fn trailing_data_after_json_is_400() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_raw(
            "/api/v1/password-checks",
            "application/json",
            "{\"password\": \"abc\"}xx",
        )
        .await;

    assert_eq!(response.status(), 400);
    assert_eq!(json_body(response).await["code"], "invalid_json");
}

#[tokio::test]
async fn malformed_json_is_400_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_raw(
            "/api/v1/password-checks",
            "application/json",
            "{\"password\": ",
        )
        .await;

    assert_eq!(response.status(), 400);
    assert_eq!(header(&response, "content-type").as_deref(), Some(PROBLEM));
    let body = json_body(response).await;
    assert_eq!(body["code"], "invalid_json");
    assert_eq!(body["errors"][0]["field"], "body");
}

#[tokio::test]
async fn wrong_content_type_is_415_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_raw(
            "/api/v1/password-checks",
            "text/plain",
            "{\"password\": \"abc\"}",
        )
        .await;

    assert_eq!(response.status(), 415);
    assert_eq!(json_body(response).await["code"], "unsupported_media_type");
}

#[tokio::test]
async fn unknown_field_is_named() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_json(
            "/api/v1/password-checks",
            &json!({"password": "abc", "is_admin": true}),
        )
        .await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    assert_eq!(body["code"], "validation_failed");
    assert_eq!(body["errors"][0]["field"], "is_admin");
    assert_eq!(body["errors"][0]["code"], "unknown_field");
    assert_eq!(body["errors"][0]["message"], "Fältet är okänt.");
}

#[tokio::test]
async fn missing_field_is_named() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app.post_json("/api/v1/password-checks", &json!({})).await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    assert_eq!(body["errors"][0]["field"], "password");
    assert_eq!(body["errors"][0]["code"], "required");
}

#[tokio::test]
async fn mistyped_field_is_named() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_json("/api/v1/password-checks", &json!({"password": 12345678}))
        .await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    assert_eq!(body["errors"][0]["field"], "password");
    assert_eq!(body["errors"][0]["code"], "invalid_type");
}

#[tokio::test]
async fn mistyped_enum_field_is_named() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let body = json!({"email": "a@example.se", "birth_date": "1980-01-01", "first_name": "A", "last_name": "B", "language": 5});

    let response = app.post_json("/api/v1/registrations/other", &body).await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    assert_eq!(body["errors"][0]["field"], "language");
    assert_eq!(body["errors"][0]["code"], "invalid_type");
}

#[tokio::test]
async fn oversized_body_is_413_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let limit = app.state.settings.max_body_bytes;
    let body = json!({"password": "a".repeat(limit)}).to_string();

    let response = app
        .post_raw("/api/v1/password-checks", "application/json", body)
        .await;

    assert_eq!(response.status(), 413);
    assert_eq!(json_body(response).await["code"], "payload_too_large");
}

#[tokio::test]
async fn oversized_chunked_body_is_413_problem() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let limit = app.state.settings.max_body_bytes;
    let chunks: Vec<Result<String, std::io::Error>> =
        (0..4).map(|_| Ok("x".repeat(limit / 2))).collect();
    let stream = futures_util::stream::iter(chunks);

    let response = app
        .post_raw(
            "/api/v1/password-checks",
            "application/json",
            reqwest::Body::wrap_stream(stream),
        )
        .await;

    assert_eq!(response.status(), 413);
    assert_eq!(json_body(response).await["code"], "payload_too_large");
}
