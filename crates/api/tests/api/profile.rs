use serde_json::{Value, json};

use crate::auth::{NEW_PASSWORD, first_login, get_with_token, register, start_login, unique_email};
use crate::helpers::{Backend, TestApp, json_body};
use crate::mailbox::{reset_code, shared_inbox, wait_for_messages};
use crate::on_both_backends;

const EMAIL_CODE_MARKER: &str = "Ange den här koden på Min Sida";

/// Registers and logs in, replaces the first-time password and returns a full access token.
pub async fn full_token(app: &TestApp, email: &str) -> String {
    let (initial, tokens) = first_login(app, email).await;
    let restricted = tokens["access_token"].as_str().expect("token");
    let changed = app
        .client
        .put(app.url("/api/v1/me/password"))
        .bearer_auth(restricted)
        .json(&json!({"current_password": initial, "new_password": NEW_PASSWORD}))
        .send()
        .await
        .expect("request");
    assert_eq!(changed.status(), 200);
    json_body(changed).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned()
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: &Value,
) -> reqwest::Response {
    app.client
        .request(method, app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .expect("request")
}

fn error_fields(body: &Value) -> Vec<(String, String)> {
    body["errors"]
        .as_array()
        .map(|errors| {
            errors
                .iter()
                .map(|error| {
                    (
                        error["field"].as_str().unwrap_or_default().to_owned(),
                        error["code"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

async fn details_update_changes_only_given_fields(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("details");
    let token = full_token(&app, &email).await;

    let response = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/me",
        &token,
        &json!({"first_name": "  Åsa  ", "mobile": "", "language": "en"}),
    )
    .await;

    assert_eq!(response.status(), 200);
    let me = json_body(response).await;
    assert_eq!(me["first_name"], "Åsa");
    assert_eq!(me["last_name"], "Person");
    assert_eq!(me["mobile"], Value::Null);
    assert_eq!(me["language"], "en");
    let invalid = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/me",
        &token,
        &json!({"last_name": "", "mobile": "abc"}),
    )
    .await;
    assert_eq!(invalid.status(), 422);
    let fields = error_fields(&json_body(invalid).await);
    assert_eq!(
        fields,
        vec![
            ("last_name".to_owned(), "name_empty".to_owned()),
            ("mobile".to_owned(), "mobile_invalid_characters".to_owned())
        ]
    );
}

async fn billing_defaults_and_validates(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("billing");
    let token = full_token(&app, &email).await;

    let default = json_body(get_with_token(&app, "/api/v1/me/billing", &token).await).await;
    assert_eq!(default["invoice_by_email"], true);
    assert_eq!(default["billing_email"], email.as_str());

    let postal = json!({
        "invoice_by_email": false,
        "address": {"organisation_name": "Kyl & Värme AB", "organisation_number": "5560743089", "reference": "Projekt 12",
                    "street": "Storgatan 1", "postal_code": "11122", "city": "Stockholm"}
    });
    let stored = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/billing",
        &token,
        &postal,
    )
    .await;
    assert_eq!(stored.status(), 200);
    let stored = json_body(stored).await;
    assert_eq!(stored["address"]["postal_code"], "111 22");
    assert_eq!(stored["address"]["organisation_number"], "556074-3089");
    assert_eq!(stored["address"]["country"], "SE");
    let read_back = json_body(get_with_token(&app, "/api/v1/me/billing", &token).await).await;
    assert_eq!(read_back, stored);

    let invalid = json!({
        "invoice_by_email": true,
        "address": {"organisation_number": "556074-3088", "street": "", "postal_code": "1112", "city": "Stockholm"}
    });
    let rejected = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/billing",
        &token,
        &invalid,
    )
    .await;
    assert_eq!(rejected.status(), 422);
    let fields = error_fields(&json_body(rejected).await);
    for expected in [
        ("billing_email", "required"),
        ("address.street", "required"),
        (
            "address.organisation_number",
            "organisation_number_invalid_checksum",
        ),
        ("address.postal_code", "postal_code_invalid_swedish"),
    ] {
        assert!(
            fields.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{expected:?} in {fields:?}"
        );
    }
    let unchanged = json_body(get_with_token(&app, "/api/v1/me/billing", &token).await).await;
    assert_eq!(unchanged, stored, "a rejected update must change nothing");
}

async fn email_change_needs_confirmation(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let old_email = unique_email("old");
    let new_email = unique_email("new");
    let token = full_token(&app, &old_email).await;

    let started = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": new_email, "current_password": NEW_PASSWORD}),
    )
    .await;
    assert_eq!(started.status(), 202);
    let mails = wait_for_messages(&shared_inbox(), &new_email, EMAIL_CODE_MARKER, 1).await;
    let code = reset_code(&mails[0]);
    start_login(&app, &old_email, NEW_PASSWORD).await;

    let confirmed = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email/confirm",
        &token,
        &json!({"code": code}),
    )
    .await;
    assert_eq!(confirmed.status(), 204);
    let me = json_body(get_with_token(&app, "/api/v1/me", &token).await).await;
    assert_eq!(me["email"], new_email.as_str());
    start_login(&app, &new_email, NEW_PASSWORD).await;
    let old_login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": old_email, "password": NEW_PASSWORD}),
        )
        .await;
    assert_eq!(old_login.status(), 401);
    wait_for_messages(&shared_inbox(), &old_email, "har ändrats från", 1).await;
    let again = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email/confirm",
        &token,
        &json!({"code": code}),
    )
    .await;
    assert_eq!(again.status(), 422);
}

async fn email_change_to_taken_address_conflicts(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("mover");
    let taken = unique_email("taken");
    let token = full_token(&app, &email).await;
    register(&app, &taken).await;

    send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": taken, "current_password": NEW_PASSWORD}),
    )
    .await;
    let mails = wait_for_messages(&shared_inbox(), &taken, EMAIL_CODE_MARKER, 1).await;
    let confirmed = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email/confirm",
        &token,
        &json!({"code": reset_code(&mails[0])}),
    )
    .await;

    assert_eq!(confirmed.status(), 409);
    assert_eq!(json_body(confirmed).await["code"], "email_taken");
    let me = json_body(get_with_token(&app, "/api/v1/me", &token).await).await;
    assert_eq!(me["email"], email.as_str());
}

async fn wrong_email_codes_end_change(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("guess");
    let new_email = unique_email("guessed");
    let token = full_token(&app, &email).await;
    send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": new_email, "current_password": NEW_PASSWORD}),
    )
    .await;
    let mails = wait_for_messages(&shared_inbox(), &new_email, EMAIL_CODE_MARKER, 1).await;
    let code = reset_code(&mails[0]);
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };

    for attempt in 1..=5 {
        let response = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/me/email/confirm",
            &token,
            &json!({"code": wrong}),
        )
        .await;
        assert_eq!(response.status(), 422, "attempt {attempt}");
    }
    let late = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email/confirm",
        &token,
        &json!({"code": code}),
    )
    .await;

    assert_eq!(late.status(), 422);
    let me = json_body(get_with_token(&app, "/api/v1/me", &token).await).await;
    assert_eq!(me["email"], email.as_str());
}

async fn email_change_needs_password_and_ascii(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("guarded");
    let token = full_token(&app, &email).await;

    let wrong = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": unique_email("thief"), "current_password": "Fel-lösen-77"}),
    )
    .await;
    let missing = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": unique_email("thief")}),
    )
    .await;
    let accented = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/me/email",
        &token,
        &json!({"new_email": "åsa@example.se", "current_password": NEW_PASSWORD}),
    )
    .await;

    assert_eq!(wrong.status(), 422);
    assert_eq!(
        error_fields(&json_body(wrong).await),
        vec![(
            "current_password".to_owned(),
            "current_password_incorrect".to_owned()
        )]
    );
    assert_eq!(missing.status(), 422);
    assert_eq!(accented.status(), 422);
    assert_eq!(
        error_fields(&json_body(accented).await),
        vec![(
            "new_email".to_owned(),
            "email_local_part_not_ascii".to_owned()
        )]
    );
}

async fn password_with_own_name_rejected(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("own-name");
    let token = full_token(&app, &email).await;

    let response = send(
        &app,
        reqwest::Method::PUT,
        "/api/v1/me/password",
        &token,
        &json!({"current_password": NEW_PASSWORD, "new_password": "Person-Sommar-2031"}),
    )
    .await;

    assert_eq!(response.status(), 422);
    assert_eq!(
        error_fields(&json_body(response).await),
        vec![(
            "new_password".to_owned(),
            "password_contains_personal_data".to_owned()
        )]
    );
}

on_both_backends!(
    password_with_own_name_rejected,
    email_change_needs_password_and_ascii,
    details_update_changes_only_given_fields,
    billing_defaults_and_validates,
    email_change_needs_confirmation,
    email_change_to_taken_address_conflicts,
    wrong_email_codes_end_change,
);
