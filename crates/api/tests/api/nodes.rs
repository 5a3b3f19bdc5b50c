//! Two API processes on one PostgreSQL database, with requests alternating between them as
//! a round-robin load balancer sends them: login codes, attempt limits, refresh-token reuse
//! and the mail outbox behave as on one node.

use chrono::TimeDelta;
use incert_api::config::Secret;
use serde_json::{Value, json};

use crate::auth::{code_number, register, start_login, submit_code, unique_email};
use crate::helpers::{Backend, TestApp, json_body};
use crate::mailbox::{messages_to, shared_inbox};

const CODE_MARKER: &str = "Använd den här koden";

/// Starts two servers with mail workers on one fresh PostgreSQL database and one master key.
pub async fn two_nodes() -> (TestApp, TestApp) {
    let secret = Secret::new(format!("{:064x}", uuid::Uuid::new_v4().as_u128()));
    let first = TestApp::spawn_with_mail_and(Backend::Postgres, {
        let secret = secret.clone();
        move |settings| settings.secret_key = Some(secret)
    })
    .await;
    let database_url = first.state.settings.database_url.clone();
    let second = TestApp::spawn_with_mail_and(Backend::Postgres, move |settings| {
        settings.secret_key = Some(secret);
        settings.database_url = database_url;
    })
    .await;
    (first, second)
}

async fn refresh(app: &TestApp, token: &str) -> reqwest::Response {
    app.post_json(
        "/api/v1/auth/token/refresh",
        &json!({"refresh_token": token, "include_refresh_token": true}),
    )
    .await
}

fn refresh_token(body: &Value) -> String {
    body["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn code_from_one_node_works_on_other() {
    let (first, second) = two_nodes().await;
    let email = unique_email("nodes-code");
    let password = register(&first, &email).await;

    let challenge = start_login(&first, &email, &password).await;
    let code = code_number(&email, 1).await;
    let accepted = submit_code(&second, &challenge, &code).await;
    assert_eq!(accepted.status(), 200);
    let tokens = json_body(accepted).await;
    assert_eq!(tokens["scope"], "password_change");

    // The access token signed by the second node is accepted by the first.
    let me = first
        .client
        .get(first.url("/api/v1/me"))
        .bearer_auth(tokens["access_token"].as_str().expect("access token"))
        .send()
        .await
        .expect("request");
    assert_eq!(me.status(), 200);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attempt_limit_counts_both_nodes() {
    let (first, second) = two_nodes().await;
    let email = unique_email("nodes-limit");
    let password = register(&first, &email).await;
    let challenge = start_login(&second, &email, &password).await;
    let code = code_number(&email, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    // Five wrong codes, alternating nodes, end the challenge for both.
    for attempt in 0..5 {
        let node = if attempt % 2 == 0 { &first } else { &second };
        let refused = submit_code(node, &challenge, wrong).await;
        let status = refused.status().as_u16();
        assert!(
            status == 401 || status == 410,
            "attempt {attempt}: {status}"
        );
    }
    let ended = submit_code(&first, &challenge, &code).await;
    assert_eq!(ended.status(), 410);
    assert_eq!(json_body(ended).await["code"], "login_challenge_ended");
    let also_ended = submit_code(&second, &challenge, &code).await;
    assert_eq!(also_ended.status(), 410);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refresh_reuse_detected_across_nodes() {
    let (first, second) = two_nodes().await;
    let email = unique_email("nodes-refresh");
    let password = register(&first, &email).await;
    let challenge = start_login(&first, &email, &password).await;
    let code = code_number(&email, 1).await;
    let tokens = json_body(submit_code(&second, &challenge, &code).await).await;
    let original = refresh_token(&tokens);

    let rotated = refresh(&first, &original).await;
    assert_eq!(rotated.status(), 200);
    let current = refresh_token(&json_body(rotated).await);

    // Past the grace period for concurrent tabs, the old token presented to the other node
    // is reuse, which ends the whole session on both nodes.
    first.state.clock.advance(TimeDelta::seconds(11));
    second.state.clock.advance(TimeDelta::seconds(11));
    let reused = refresh(&second, &original).await;
    assert_eq!(reused.status(), 401);
    assert_eq!(json_body(reused).await["code"], "invalid_refresh_token");
    let after_reuse = refresh(&first, &current).await;
    assert_eq!(after_reuse.status(), 401);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn outbox_delivers_once_with_two_workers() {
    let (first, second) = two_nodes().await;
    let email = unique_email("nodes-mail");
    let password = register(&second, &email).await;

    // Six logins, alternating nodes, queue six codes for the two workers to share.
    for login in 0..6 {
        let node = if login % 2 == 0 { &first } else { &second };
        start_login(node, &email, &password).await;
    }
    code_number(&email, 6).await;
    // Give a second delivery of any message time to arrive before counting.
    tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    let codes = messages_to(&shared_inbox(), &email)
        .into_iter()
        .filter(|mail| mail.text().contains(CODE_MARKER))
        .count();
    assert_eq!(codes, 6);
    let welcome = messages_to(&shared_inbox(), &email)
        .into_iter()
        .filter(|mail| mail.text().contains("Ditt engångslösenord är"))
        .count();
    assert_eq!(welcome, 1);
}
