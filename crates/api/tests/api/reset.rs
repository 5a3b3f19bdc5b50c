use serde_json::json;

use crate::auth::{NEW_PASSWORD, first_login, get_with_token, register, start_login, unique_email};
use crate::helpers::{Backend, TestApp, json_body};
use crate::mailbox::{messages_to, reset_code, shared_inbox, wait_for_messages};
use crate::on_both_backends;

const RESET_MARKER: &str = "Ange den här koden tillsammans med ditt nya";

async fn request_reset(app: &TestApp, email: &str) -> reqwest::Response {
    app.post_json("/api/v1/auth/password-reset", &json!({"email": email}))
        .await
}

async fn confirm(app: &TestApp, email: &str, code: &str, password: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/password-reset/confirm",
        &json!({"email": email, "code": code, "new_password": password}),
    )
    .await
}

async fn nth_reset_code(email: &str, nth: usize) -> String {
    let mails = wait_for_messages(&shared_inbox(), email, RESET_MARKER, nth).await;
    reset_code(&mails[nth - 1])
}

async fn reset_replaces_password_and_ends_sessions(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("reset");
    let (initial, tokens) = first_login(&app, &email).await;
    let access = tokens["access_token"].as_str().expect("token").to_owned();
    let refresh = tokens["refresh_token"].as_str().expect("token").to_owned();

    let response = request_reset(&app, &email).await;
    assert_eq!(response.status(), 202);
    let code = nth_reset_code(&email, 1).await;
    let confirmed = confirm(&app, &email, &code, NEW_PASSWORD).await;

    assert_eq!(confirmed.status(), 204);
    assert_eq!(
        get_with_token(&app, "/api/v1/me", &access).await.status(),
        401
    );
    let refreshed = app
        .post_json(
            "/api/v1/auth/token/refresh",
            &json!({"refresh_token": refresh}),
        )
        .await;
    assert_eq!(refreshed.status(), 401);
    let old = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": initial}),
        )
        .await;
    assert_eq!(old.status(), 401);
    start_login(&app, &email, NEW_PASSWORD).await;
    wait_for_messages(&shared_inbox(), &email, "Lösenordet för ditt konto", 1).await;
    let reused = confirm(&app, &email, &code, "Ett-annat-lösen-77").await;
    assert_eq!(reused.status(), 422);
    assert_eq!(
        json_body(reused).await["errors"][0]["code"],
        "reset_code_invalid"
    );
}

async fn reset_answer_hides_accounts(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let known = unique_email("known-reset");
    register(&app, &known).await;
    let unknown = unique_email("unknown-reset");

    let known_answer = request_reset(&app, &known).await;
    let unknown_answer = request_reset(&app, &unknown).await;

    assert_eq!(known_answer.status(), 202);
    assert_eq!(unknown_answer.status(), 202);
    assert_eq!(
        json_body(known_answer).await,
        json_body(unknown_answer).await
    );
    nth_reset_code(&known, 1).await;
    assert!(messages_to(&shared_inbox(), &unknown).is_empty());
    let guessed = confirm(&app, &unknown, "12345678", NEW_PASSWORD).await;
    assert_eq!(guessed.status(), 422);
    assert_eq!(
        json_body(guessed).await["errors"][0]["code"],
        "reset_code_invalid"
    );
}

async fn newer_reset_ends_older_code(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("two-resets");
    register(&app, &email).await;

    request_reset(&app, &email).await;
    let older = nth_reset_code(&email, 1).await;
    request_reset(&app, &email).await;
    let newer = nth_reset_code(&email, 2).await;

    if older != newer {
        assert_eq!(
            confirm(&app, &email, &older, NEW_PASSWORD).await.status(),
            422
        );
    }
    assert_eq!(
        confirm(&app, &email, &newer, NEW_PASSWORD).await.status(),
        204
    );
}

async fn five_wrong_reset_codes_end_reset(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("wrong-reset");
    register(&app, &email).await;
    request_reset(&app, &email).await;
    let code = nth_reset_code(&email, 1).await;
    let wrong = if code == "00000000" {
        "11111111"
    } else {
        "00000000"
    };

    for attempt in 1..=5 {
        let status = confirm(&app, &email, wrong, NEW_PASSWORD).await.status();
        assert!(
            status == 422 || status == 429,
            "attempt {attempt}: {status}"
        );
    }
    // Past the throttle's delay but well within the code's 30 minutes.
    app.state.clock.advance(chrono::TimeDelta::minutes(5));
    let late = confirm(&app, &email, &code, NEW_PASSWORD).await;

    assert_eq!(
        late.status(),
        422,
        "the right code after five wrong ones must not work"
    );
    assert_eq!(
        json_body(late).await["errors"][0]["code"],
        "reset_code_invalid"
    );
}

async fn reset_confirmation_names_each_field(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let response = confirm(&app, "inte-en-adress", "12ab", "kort").await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["field"].as_str())
        .collect();
    assert!(fields.contains(&"email"), "{fields:?}");
    assert!(fields.contains(&"code"), "{fields:?}");
    assert!(fields.contains(&"new_password"), "{fields:?}");
}

on_both_backends!(
    reset_replaces_password_and_ends_sessions,
    reset_answer_hides_accounts,
    newer_reset_ends_older_code,
    five_wrong_reset_codes_end_reset,
    reset_confirmation_names_each_field,
);
