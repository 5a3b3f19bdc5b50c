//! The `incert-client` crate against the real server: every endpoint it wraps, and problem
//! responses decoded into `ClientError`.

use std::time::Duration;

use chrono::TimeDelta;
use incert_client::contract::auth::{
    AccessScope, LoginCodeRequest, LoginRequest, OtherRegistrationRequest, PasswordChangeRequest,
    RefreshRequest, TokenResponse,
};
use incert_client::contract::health::DependencyState;
use incert_client::contract::password::PasswordCheckRequest;
use incert_client::{Client, ClientError, ErrorCode, PreferredLanguage};

use crate::helpers::{Backend, TestApp};
use crate::mailbox::{initial_password, login_code, shared_inbox, wait_for_messages};
use crate::on_both_backends;

const WELCOME_MARKER: &str = "Ditt engångslösenord är";
/// Starts a paragraph of the login-code mail. The first paragraph contains the address, so
/// its line breaks move with the address length and can split a phrase from it.
const CODE_MARKER: &str = "Koden är giltig";
const NEW_PASSWORD: &str = "Kylmedel-Vinter-2031";

/// Builds a client of the test server that shares the test's reqwest client and its timeout.
fn client_of(app: &TestApp) -> Client {
    Client::with_http(&app.address, app.client.clone()).expect("client of the test server")
}

fn unique_email(label: &str) -> String {
    format!("{label}.{}@example.se", uuid::Uuid::new_v4().simple())
}

fn registration(email: &str) -> OtherRegistrationRequest {
    OtherRegistrationRequest {
        email: email.to_owned(),
        birth_date: "1980-01-01".to_owned(),
        first_name: "Test".to_owned(),
        last_name: "Person".to_owned(),
        mobile: Some("070-123 45 67".to_owned()),
        language: None,
    }
}

/// Registers `email` through the client and returns the first-time password from the mail.
async fn register(client: &Client, email: &str) -> String {
    let accepted = client
        .register_other(&registration(email))
        .await
        .expect("registration");
    assert_eq!(accepted.next_step, "check_email");
    let mails = wait_for_messages(&shared_inbox(), email, WELCOME_MARKER, 1).await;
    initial_password(&mails[0])
}

/// Waits for the `nth` code email (1-based) to `email` and returns its code.
async fn code_number(email: &str, nth: usize) -> String {
    let mails = wait_for_messages(&shared_inbox(), email, CODE_MARKER, nth).await;
    login_code(&mails[nth - 1])
}

fn login_request(email: &str, password: &str) -> LoginRequest {
    LoginRequest {
        email: email.to_owned(),
        password: password.to_owned(),
    }
}

fn code_request(code: String, include_refresh_token: bool) -> LoginCodeRequest {
    LoginCodeRequest {
        code,
        include_refresh_token,
    }
}

/// Logs in with a password and the `nth` code email, and returns the tokens.
async fn log_in(
    client: &Client,
    email: &str,
    password: &str,
    nth_code: usize,
    include_refresh_token: bool,
) -> TokenResponse {
    let challenge = client
        .login(&login_request(email, password))
        .await
        .expect("login");
    let code = code_number(email, nth_code).await;
    client
        .submit_login_code(
            &challenge.challenge_id,
            &code_request(code, include_refresh_token),
        )
        .await
        .expect("code accepted")
}

/// Replaces the first-time password and returns the full access token.
async fn change_initial_password(client: &Client, initial: &str) -> TokenResponse {
    client
        .change_password(&PasswordChangeRequest {
            current_password: initial.to_owned(),
            new_password: NEW_PASSWORD.to_owned(),
        })
        .await
        .expect("password changed")
}

async fn health_and_readiness(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = client_of(&app);

    let liveness = client.liveness().await.expect("liveness");
    let readiness = client.readiness().await.expect("readiness");

    assert_eq!(liveness.status, "ok");
    assert_eq!(liveness.version, env!("CARGO_PKG_VERSION"));
    assert_eq!(readiness.status, "ready");
    assert_eq!(readiness.database, DependencyState::Up);
}

async fn password_policy_and_check(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = client_of(&app);

    let policy = client.password_policy().await.expect("policy");
    let weak = client
        .check_password(&PasswordCheckRequest {
            password: "abc".to_owned(),
            user_inputs: Vec::new(),
        })
        .await
        .expect("check of a weak password");
    let strong = client
        .check_password(&PasswordCheckRequest {
            password: NEW_PASSWORD.to_owned(),
            user_inputs: vec!["Test".to_owned(), "Person".to_owned()],
        })
        .await
        .expect("check of a strong password");

    assert_eq!(
        usize::try_from(policy.min_length).ok(),
        Some(app.state.password_policy.min_chars())
    );
    assert!(policy.max_length > policy.min_length, "{policy:?}");
    assert!(policy.requires_digit);
    assert!(!weak.acceptable);
    assert!(
        weak.violations.contains(&"password_too_short".to_owned()),
        "{weak:?}"
    );
    assert!(
        weak.violations
            .contains(&"password_missing_digit".to_owned()),
        "{weak:?}"
    );
    assert!(strong.acceptable, "{strong:?}");
    assert!(strong.violations.is_empty(), "{strong:?}");
}

async fn invalid_registration_decodes_problem(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let english = client_of(&app).with_language(PreferredLanguage::En);
    let swedish = client_of(&app);
    let invalid = OtherRegistrationRequest {
        email: "inte-en-adress".to_owned(),
        birth_date: "1980-02-30".to_owned(),
        first_name: " ".to_owned(),
        last_name: "Person".to_owned(),
        mobile: Some("07O-123".to_owned()),
        language: None,
    };

    let error = english.register_other(&invalid).await.unwrap_err();
    let swedish_error = swedish.register_other(&invalid).await.unwrap_err();

    assert!(matches!(error, ClientError::Api { .. }), "{error:?}");
    assert_eq!(error.status(), Some(422));
    assert_eq!(error.code(), Some(ErrorCode::ValidationFailed));
    assert_eq!(error.retry_after(), None);
    let fields: Vec<&str> = error
        .field_errors()
        .iter()
        .map(|field| field.field.as_str())
        .collect();
    assert_eq!(fields, vec!["email", "birth_date", "first_name", "mobile"]);
    assert!(
        error
            .field_errors()
            .iter()
            .all(|field| !field.code.is_empty() && !field.message.is_empty()),
        "{error:?}"
    );
    let problem = error.problem().expect("problem");
    assert_eq!(problem.title, "Invalid data");
    assert!(problem.request_id.is_some(), "{problem:?}");
    assert_eq!(
        swedish_error
            .problem()
            .map(|problem| problem.title.as_str()),
        Some("Ogiltiga uppgifter")
    );
}

async fn me_without_token_is_rejected(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = client_of(&app);

    let error = client.me().await.unwrap_err();

    assert_eq!(error.status(), Some(401));
    assert_eq!(error.code(), Some(ErrorCode::AuthenticationRequired));
}

async fn challenge_id_is_one_path_segment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let client = client_of(&app);

    let error = client
        .submit_login_code(
            "no/such?challenge#id",
            &code_request("123456".to_owned(), true),
        )
        .await
        .unwrap_err();

    // Concatenated raw, the id would reach another path and get `not_found`.
    assert_eq!(
        error.code(),
        Some(ErrorCode::LoginChallengeEnded),
        "{error}"
    );
    assert_eq!(error.status(), Some(410));
}

async fn whole_flow_through_client(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let mut client = client_of(&app);
    let email = unique_email("client-flow");

    let initial = register(&client, &email).await;
    let tokens = log_in(&client, &email, &initial, 1, true).await;
    assert_eq!(tokens.scope, AccessScope::PasswordChange);
    assert_eq!(tokens.token_type, "Bearer");
    assert!(tokens.expires_in > 0);
    let refresh_token = tokens
        .refresh_token
        .clone()
        .expect("refresh token in the body");
    client.set_access_token(tokens.access_token);

    let me = client.me().await.expect("me with the restricted token");
    assert!(me.must_change_password);
    assert_eq!(me.email, email);
    assert_eq!(me.mobile.as_deref(), Some("+46701234567"));
    let rejected = client.sessions().await.unwrap_err();
    assert_eq!(rejected.status(), Some(403));
    assert_eq!(rejected.code(), Some(ErrorCode::PasswordChangeRequired));

    let full = change_initial_password(&client, &initial).await;
    assert_eq!(full.scope, AccessScope::Full);
    assert_eq!(full.refresh_token, None);
    client.set_access_token(full.access_token);
    let me = client.me().await.expect("me with the full token");
    assert!(!me.must_change_password);
    let sessions = client.sessions().await.expect("sessions");
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert!(sessions[0].current);

    client
        .logout(&RefreshRequest {
            refresh_token: Some(refresh_token.clone()),
            include_refresh_token: false,
        })
        .await
        .expect("logout");
    let after_logout = client.me().await.unwrap_err();
    assert_eq!(after_logout.status(), Some(401));
    let refreshed = client
        .refresh_tokens(&RefreshRequest {
            refresh_token: Some(refresh_token),
            include_refresh_token: true,
        })
        .await
        .unwrap_err();
    assert_eq!(refreshed.code(), Some(ErrorCode::InvalidRefreshToken));
    client.clear_access_token();
    assert!(!client.has_access_token());
}

async fn resend_refresh_and_revoke(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let mut client = client_of(&app);
    let email = unique_email("client-sessions");
    let initial = register(&client, &email).await;

    let challenge = client
        .login(&login_request(&email, &initial))
        .await
        .expect("login");
    code_number(&email, 1).await;
    let early = client
        .resend_login_code(&challenge.challenge_id)
        .await
        .unwrap_err();
    assert_eq!(early.status(), Some(429));
    assert_eq!(early.code(), Some(ErrorCode::ResendTooEarly));
    let wait = early.retry_after().expect("Retry-After on 429");
    assert!(
        wait > Duration::ZERO && wait <= Duration::from_secs(60),
        "{wait:?}"
    );
    app.state.clock.advance(TimeDelta::seconds(61));
    let resent = client
        .resend_login_code(&challenge.challenge_id)
        .await
        .expect("resend after the cooldown");
    let code = code_number(&email, 2).await;
    let tokens = client
        .submit_login_code(&resent.challenge_id, &code_request(code, true))
        .await
        .expect("code accepted");
    let first_refresh = tokens.refresh_token.expect("refresh token in the body");
    client.set_access_token(tokens.access_token);
    let full = change_initial_password(&client, &initial).await;
    client.set_access_token(full.access_token);

    let rotated = client
        .refresh_tokens(&RefreshRequest {
            refresh_token: Some(first_refresh.clone()),
            include_refresh_token: true,
        })
        .await
        .expect("refresh");
    assert_eq!(rotated.scope, AccessScope::Full);
    let second_refresh = rotated
        .refresh_token
        .expect("new refresh token in the body");
    assert_ne!(second_refresh, first_refresh);
    client.set_access_token(rotated.access_token);
    client.me().await.expect("me with the refreshed token");

    // A login as the web app does it: the refresh token stays in the cookie, which this
    // native client does not keep.
    let mut other = client_of(&app);
    let cookie_only = log_in(&other, &email, NEW_PASSWORD, 3, false).await;
    assert_eq!(cookie_only.refresh_token, None);
    other.set_access_token(cookie_only.access_token);
    other.me().await.expect("me in the second session");
    let without_cookie = other
        .refresh_tokens(&RefreshRequest::default())
        .await
        .unwrap_err();
    assert_eq!(without_cookie.code(), Some(ErrorCode::InvalidRefreshToken));

    let sessions = client.sessions().await.expect("sessions");
    assert_eq!(sessions.len(), 2, "{sessions:?}");
    let other_session = sessions
        .iter()
        .find(|session| !session.current)
        .expect("the second session");
    client
        .revoke_session(&other_session.id)
        .await
        .expect("revoke");
    let revoked = other.me().await.unwrap_err();
    assert_eq!(revoked.status(), Some(401));
    let again = client.revoke_session(&other_session.id).await.unwrap_err();
    assert_eq!(again.code(), Some(ErrorCode::NotFound));
    assert_eq!(client.sessions().await.expect("sessions").len(), 1);
}

on_both_backends!(
    health_and_readiness,
    password_policy_and_check,
    invalid_registration_decodes_problem,
    me_without_token_is_rejected,
    challenge_id_is_one_path_segment,
    whole_flow_through_client,
    resend_refresh_and_revoke,
    profile_and_reset_through_client,
);

async fn profile_and_reset_through_client(backend: Backend) {
    use incert_client::contract::account::{
        Billing, EmailChangeConfirmation, EmailChangeRequest, MeUpdate, PostalAddress,
    };
    use incert_client::contract::auth::{PasswordResetConfirmation, PasswordResetRequest};

    let app = TestApp::spawn_with_mail(backend).await;
    let mut client = client_of(&app);
    let email = unique_email("client-profile");
    let new_email = unique_email("client-moved");
    let initial = register(&client, &email).await;
    let first = log_in(&client, &email, &initial, 1, true).await;
    client.set_access_token(first.access_token);
    let full = change_initial_password(&client, &initial).await;
    client.set_access_token(full.access_token);

    let me = client
        .update_me(&MeUpdate {
            last_name: Some("Persson".to_owned()),
            ..MeUpdate::default()
        })
        .await
        .expect("update");
    assert_eq!(me.last_name, "Persson");
    let billing = Billing {
        invoice_by_email: false,
        billing_email: None,
        address: Some(PostalAddress {
            organisation_name: None,
            organisation_number: None,
            reference: None,
            street: "Storgatan 1".to_owned(),
            postal_code: "11122".to_owned(),
            city: "Stockholm".to_owned(),
            country: None,
        }),
    };
    let stored = client
        .replace_billing(&billing)
        .await
        .expect("billing stored");
    assert_eq!(
        stored
            .address
            .as_ref()
            .map(|address| address.postal_code.as_str()),
        Some("111 22")
    );
    assert_eq!(client.billing().await.expect("billing read"), stored);

    let started = client
        .start_email_change(&EmailChangeRequest {
            new_email: new_email.clone(),
            current_password: NEW_PASSWORD.to_owned(),
        })
        .await
        .expect("email change");
    assert_eq!(started.code_valid_minutes, 30);
    let mails = wait_for_messages(
        &shared_inbox(),
        &new_email,
        "Ange den här koden på Min Sida",
        1,
    )
    .await;
    client
        .confirm_email_change(&EmailChangeConfirmation {
            code: crate::mailbox::reset_code(&mails[0]),
        })
        .await
        .expect("email confirmed");
    assert_eq!(client.me().await.expect("me").email, new_email);

    let accepted = client
        .request_password_reset(&PasswordResetRequest {
            email: new_email.clone(),
        })
        .await
        .expect("reset requested");
    assert_eq!(accepted.next_step, "check_email");
    let mails = wait_for_messages(
        &shared_inbox(),
        &new_email,
        "Ange den här koden tillsammans",
        1,
    )
    .await;
    let wrong = client
        .confirm_password_reset(&PasswordResetConfirmation {
            email: new_email.clone(),
            code: "123".to_owned(),
            new_password: "Ett-nytt-lösen-42".to_owned(),
        })
        .await
        .expect_err("malformed code");
    assert_eq!(wrong.code(), Some(ErrorCode::ValidationFailed));
    client
        .confirm_password_reset(&PasswordResetConfirmation {
            email: new_email.clone(),
            code: crate::mailbox::reset_code(&mails[0]),
            new_password: "Ett-nytt-lösen-42".to_owned(),
        })
        .await
        .expect("reset confirmed");
    let ended = client.me().await.expect_err("the reset ends every session");
    assert_eq!(ended.code(), Some(ErrorCode::AuthenticationRequired));
}
