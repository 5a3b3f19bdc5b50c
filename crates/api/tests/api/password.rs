use serde_json::json;

use crate::helpers::{Backend, TestApp, json_body};

#[tokio::test]
async fn policy_lists_the_rules() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let body = json_body(app.get("/api/v1/password-policy").await).await;

    assert_eq!(body["min_length"], 8);
    assert_eq!(body["max_length"], 200);
    assert_eq!(body["requires_letter"], true);
    assert_eq!(body["requires_digit"], true);
}

#[tokio::test]
async fn check_reports_every_broken_rule() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_json("/api/v1/password-checks", &json!({"password": "!!!"}))
        .await;

    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    assert_eq!(body["acceptable"], false);
    let violations = body["violations"].as_array().cloned().unwrap_or_default();
    assert!(
        violations.contains(&json!("password_too_short")),
        "{violations:?}"
    );
    assert!(
        violations.contains(&json!("password_missing_letter")),
        "{violations:?}"
    );
    assert!(
        violations.contains(&json!("password_missing_digit")),
        "{violations:?}"
    );
}

#[tokio::test]
async fn check_accepts_strong_password_with_swedish_letters() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_json(
            "/api/v1/password-checks",
            &json!({"password": "Räksmörgås-7-Kvällsdopp"}),
        )
        .await;

    let body = json_body(response).await;
    assert_eq!(body["acceptable"], true, "{body}");
    assert_eq!(body["violations"], json!([]));
    assert!(
        body["strength"]["score"]
            .as_u64()
            .is_some_and(|score| score >= 3),
        "{body}"
    );
}

#[tokio::test]
async fn check_rejects_common_password() {
    let app = TestApp::spawn(Backend::Sqlite).await;

    let response = app
        .post_json("/api/v1/password-checks", &json!({"password": "password1"}))
        .await;

    let body = json_body(response).await;
    assert_eq!(body["acceptable"], false);
    assert_eq!(body["violations"], json!(["password_too_common"]));
}
