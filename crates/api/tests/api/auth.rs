use std::time::Duration;

use chrono::TimeDelta;
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, free_port, header, json_body, wait_until};
use crate::mailbox::{initial_password, login_code, shared_inbox, wait_for_messages};
use crate::on_both_backends;

const WELCOME_MARKER: &str = "Ditt engångslösenord är";
const CODE_MARKER: &str = "Använd den här koden";
pub const NEW_PASSWORD: &str = "Kylmedel-Vinter-2031";

pub fn unique_email(label: &str) -> String {
    format!("{label}.{}@example.se", uuid::Uuid::new_v4().simple())
}

pub fn registration(email: &str) -> Value {
    json!({
        "email": email,
        "birth_date": "1980-01-01",
        "first_name": "Test",
        "last_name": "Person",
        "mobile": "070-123 45 67",
    })
}

/// Registers `email` and returns the first-time password from the welcome email.
pub async fn register(app: &TestApp, email: &str) -> String {
    let response = app
        .post_json("/api/v1/registrations/other", &registration(email))
        .await;
    assert_eq!(response.status(), 202);
    let mails = wait_for_messages(&shared_inbox(), email, WELCOME_MARKER, 1).await;
    initial_password(&mails[0])
}

/// Logs in with a password and returns the challenge id.
pub async fn start_login(app: &TestApp, email: &str, password: &str) -> String {
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    body["challenge_id"]
        .as_str()
        .expect("challenge_id")
        .to_owned()
}

/// Waits for the `nth` code email (1-based) to `email` and returns its code.
pub async fn code_number(email: &str, nth: usize) -> String {
    let mails = wait_for_messages(&shared_inbox(), email, CODE_MARKER, nth).await;
    login_code(&mails[nth - 1])
}

pub async fn submit_code(app: &TestApp, challenge_id: &str, code: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/auth/login/{challenge_id}/code"),
        &json!({"code": code, "include_refresh_token": true}),
    )
    .await
}

pub async fn get_with_token(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    app.client
        .get(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .expect("request")
}

async fn change_password(
    app: &TestApp,
    token: &str,
    current: &str,
    new: &str,
) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/me/password"))
        .bearer_auth(token)
        .json(&json!({"current_password": current, "new_password": new}))
        .send()
        .await
        .expect("request")
}

/// Registers, logs in with the first-time password and returns it with the restricted token.
pub async fn first_login(app: &TestApp, email: &str) -> (String, Value) {
    let password = register(app, email).await;
    let challenge = start_login(app, email, &password).await;
    let code = code_number(email, 1).await;
    let response = submit_code(app, &challenge, &code).await;
    assert_eq!(response.status(), 200);
    (password, json_body(response).await)
}

async fn whole_flow_reaches_min_sida(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("flow");

    let (initial, tokens) = first_login(&app, &email).await;
    assert_eq!(tokens["scope"], "password_change");
    let restricted = tokens["access_token"].as_str().expect("token").to_owned();
    let me = json_body(get_with_token(&app, "/api/v1/me", &restricted).await).await;
    assert_eq!(me["must_change_password"], true);
    assert_eq!(me["mobile"], "+46701234567");
    let refused = get_with_token(&app, "/api/v1/me/sessions", &restricted).await;
    assert_eq!(refused.status(), 403);
    assert_eq!(json_body(refused).await["code"], "password_change_required");

    let changed = change_password(&app, &restricted, &initial, NEW_PASSWORD).await;
    assert_eq!(changed.status(), 200);
    let full = json_body(changed).await;
    assert_eq!(full["scope"], "full");
    let full_token = full["access_token"].as_str().expect("token");
    let me = json_body(get_with_token(&app, "/api/v1/me", full_token).await).await;
    assert_eq!(me["must_change_password"], false);
    assert_eq!(me["email"], email.as_str());
    assert_eq!(
        get_with_token(&app, "/api/v1/me/sessions", full_token)
            .await
            .status(),
        200
    );
    wait_for_messages(&shared_inbox(), &email, "Lösenordet för ditt konto", 1).await;

    let old_password = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": initial}),
        )
        .await;
    assert_eq!(old_password.status(), 401);
    let challenge = start_login(&app, &email, NEW_PASSWORD).await;
    let code = code_number(&email, 2).await;
    let second = json_body(submit_code(&app, &challenge, &code).await).await;
    assert_eq!(second["scope"], "full");
}

async fn password_change_names_each_broken_rule(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("policy");
    let (_, tokens) = first_login(&app, &email).await;
    let token = tokens["access_token"].as_str().expect("token");

    let response = change_password(&app, token, "wrong-current-1", "abc").await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    let errors: Vec<(String, String)> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|error| {
            (
                error["field"].as_str().unwrap_or_default().to_owned(),
                error["code"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for expected in [
        ("new_password", "password_too_short"),
        ("new_password", "password_missing_digit"),
        ("current_password", "current_password_incorrect"),
    ] {
        assert!(
            errors.contains(&(expected.0.to_owned(), expected.1.to_owned())),
            "{errors:?}"
        );
    }
}

async fn registration_does_not_reveal_accounts(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("twice");
    register(&app, &email).await;

    let again = app
        .post_json("/api/v1/registrations/other", &registration(&email))
        .await;
    let fresh = app
        .post_json(
            "/api/v1/registrations/other",
            &registration(&unique_email("fresh")),
        )
        .await;

    assert_eq!(again.status(), fresh.status());
    assert_eq!(json_body(again).await, json_body(fresh).await);
    wait_for_messages(&shared_inbox(), &email, "Det finns redan ett konto", 1).await;
}

async fn repeated_registrations_mail_owner_three_times(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("pestered");
    register(&app, &email).await;

    for _ in 0..5 {
        let response = app
            .post_json("/api/v1/registrations/other", &registration(&email))
            .await;
        assert_eq!(response.status(), 202);
    }

    wait_for_messages(&shared_inbox(), &email, "Det finns redan ett konto", 3).await;
    let recipient = email.clone();
    let queued = app
        .database()
        .run(move |connection| {
            Ok::<_, incert_api::storage::StorageError>(
                incert_api::storage::outbox::states_for_recipient(connection, &recipient)?,
            )
        })
        .await
        .expect("outbox");
    assert_eq!(
        queued.len(),
        4,
        "one welcome mail and three notices were queued"
    );
}

async fn login_does_not_reveal_accounts(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("known");
    register(&app, &email).await;

    let wrong_password = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": "Fel-lösen-123"}),
        )
        .await;
    let unknown_email = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": unique_email("unknown"), "password": "Fel-lösen-123"}),
        )
        .await;

    assert_eq!(wrong_password.status(), 401);
    assert_eq!(unknown_email.status(), 401);
    let (known, unknown) = (
        json_body(wrong_password).await,
        json_body(unknown_email).await,
    );
    assert_eq!(known["code"], "invalid_credentials");
    assert_eq!(known["title"], unknown["title"]);
    assert_eq!(known["detail"], unknown["detail"]);
}

async fn code_expires_after_ten_minutes(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("expiry");
    let password = register(&app, &email).await;

    let accepted = start_login(&app, &email, &password).await;
    let code = code_number(&email, 1).await;
    app.state.clock.advance(TimeDelta::seconds(9 * 60 + 59));
    assert_eq!(submit_code(&app, &accepted, &code).await.status(), 200);

    let late = start_login(&app, &email, &password).await;
    let code = code_number(&email, 2).await;
    app.state.clock.advance(TimeDelta::seconds(10 * 60 + 1));
    let response = submit_code(&app, &late, &code).await;
    assert_eq!(response.status(), 410);
    assert_eq!(json_body(response).await["code"], "login_challenge_ended");
}

async fn code_works_once(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("once");
    let password = register(&app, &email).await;
    let challenge = start_login(&app, &email, &password).await;
    let code = code_number(&email, 1).await;

    assert_eq!(submit_code(&app, &challenge, &code).await.status(), 200);
    let reused = submit_code(&app, &challenge, &code).await;

    assert_eq!(reused.status(), 410);
}

async fn sixth_code_is_rejected(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("sixth");
    let password = register(&app, &email).await;
    let challenge = start_login(&app, &email, &password).await;
    let code = code_number(&email, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    for attempt in 1..=5 {
        let response = submit_code(&app, &challenge, wrong).await;
        assert_eq!(response.status(), 401, "attempt {attempt}");
        assert_eq!(json_body(response).await["code"], "invalid_login_code");
    }
    let sixth = submit_code(&app, &challenge, &code).await;

    assert_eq!(
        sixth.status(),
        410,
        "the right code after five wrong ones must not log in"
    );
}

async fn parallel_wrong_passwords_count_exactly(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("flood");
    register(&app, &email).await;

    let attempts = (0..50).map(|index| {
        let body = json!({"email": email, "password": format!("Fel-lösen-{index}")});
        let app = &app;
        async move {
            app.post_json("/api/v1/auth/login", &body)
                .await
                .status()
                .as_u16()
        }
    });
    let statuses = futures_util::future::join_all(attempts).await;

    let rejected = statuses.iter().filter(|status| **status == 401).count();
    let throttled = statuses.iter().filter(|status| **status == 429).count();
    assert_eq!(rejected + throttled, 50, "{statuses:?}");
    let address = incert_domain::Email::parse(&email).expect("email");
    let subject = incert_api::service::throttle_subject(&address, Some("127.0.0.1"));
    let counted = app
        .database()
        .run(move |connection| {
            use incert_api::storage::throttle;
            Ok::<_, incert_api::storage::StorageError>(throttle::current(
                connection,
                "login_password",
                &subject,
            )?)
        })
        .await
        .expect("counter");
    assert_eq!(
        counted.map(|(failures, _)| failures),
        Some(i32::try_from(rejected).expect("count"))
    );
    let blocked = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": "Fel-lösen-x"}),
        )
        .await;
    assert_eq!(blocked.status(), 429);
    assert!(header(&blocked, "retry-after").is_some());
}

/// Checks that one address cannot queue more password checks than the cap. The logins above
/// it get 429 at once, and the address logs in again once its checks are done.
async fn password_checks_are_capped_per_address(backend: Backend) {
    let app = TestApp::spawn_with_mail_and(backend, |settings| {
        settings.password_checks_per_address = 2;
        settings.password_hash_concurrency = 1;
        // Slow enough that the requests below overlap.
        settings.password_hash_iterations = 40;
    })
    .await;
    let email = unique_email("queue");
    let password = register(&app, &email).await;

    // Unknown email addresses, so that no account's wrong-password throttling returns 429.
    let attempts = (0..12).map(|index| {
        let body =
            json!({"email": unique_email("nobody"), "password": format!("Fel-lösen-{index}")});
        let app = &app;
        async move { app.post_json("/api/v1/auth/login", &body).await }
    });
    let responses = futures_util::future::join_all(attempts).await;

    let statuses: Vec<u16> = responses
        .iter()
        .map(|response| response.status().as_u16())
        .collect();
    let checked = statuses.iter().filter(|status| **status == 401).count();
    let capped: Vec<&reqwest::Response> = responses
        .iter()
        .filter(|response| response.status() == 429)
        .collect();
    assert!(checked >= 2, "{statuses:?}");
    assert!(!capped.is_empty(), "{statuses:?}");
    assert_eq!(checked + capped.len(), 12, "{statuses:?}");
    for response in capped {
        assert_eq!(header(response, "retry-after").as_deref(), Some("1"));
    }
    assert_eq!(
        app.state.pending_password_checks.count("127.0.0.1"),
        0,
        "every check that ended is no longer counted"
    );

    start_login(&app, &email, &password).await;
}

async fn stranger_cannot_lock_out_owner(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("owner");
    let password = register(&app, &email).await;
    let address = incert_domain::Email::parse(&email).expect("email");
    let stranger = incert_api::service::throttle_subject(&address, Some("203.0.113.7"));
    let now = app.state.clock.naive_now();

    // Twenty failures from another address, as a stranger guessing passwords would leave.
    app.database()
        .run(move |connection| {
            for _ in 0..20 {
                incert_api::storage::throttle::record_failure(
                    connection,
                    "login_password",
                    &stranger,
                    now,
                    now - TimeDelta::hours(1),
                )?;
            }
            Ok::<_, incert_api::storage::StorageError>(())
        })
        .await
        .expect("failures recorded");
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;

    assert_eq!(
        response.status(),
        200,
        "the owner's own address must not be throttled"
    );
}

async fn forwarded_address_counts_only_behind_trusted_proxy(backend: Backend) {
    let trusted = TestApp::spawn_with_worker(backend, |settings| {
        settings.mail_transport = incert_api::config::MailTransportKind::Smtp;
        settings.smtp_url = Some(incert_api::config::Secret::new(format!(
            "smtp://127.0.0.1:{}",
            crate::helpers::required_env("INCERT_TEST_SMTP_PORT")
        )));
        settings.trusted_proxies = vec!["127.0.0.1".parse().expect("ip")];
    })
    .await;
    let direct = TestApp::spawn_with_mail(backend).await;
    let failures = |app: &TestApp, email: &str, ip: &str| {
        let address = incert_domain::Email::parse(email).expect("email");
        let subject = incert_api::service::throttle_subject(&address, Some(ip));
        let database = app.database().clone();
        async move {
            database
                .run(move |connection| {
                    Ok::<_, incert_api::storage::StorageError>(
                        incert_api::storage::throttle::current(
                            connection,
                            "login_password",
                            &subject,
                        )?,
                    )
                })
                .await
                .expect("counter")
                .map(|(count, _)| count)
        }
    };

    for (app, email) in [
        (&trusted, unique_email("proxied")),
        (&direct, unique_email("spoofed")),
    ] {
        register(app, &email).await;
        let response = app
            .client
            .post(app.url("/api/v1/auth/login"))
            .header("x-forwarded-for", "198.51.100.1, 203.0.113.9")
            .json(&json!({"email": email, "password": "Fel-lösen-123"}))
            .send()
            .await
            .expect("request");
        assert_eq!(response.status(), 401);
        let (forwarded, peer) = (
            failures(app, &email, "203.0.113.9").await,
            failures(app, &email, "127.0.0.1").await,
        );
        if std::ptr::eq(app, &trusted) {
            assert_eq!(
                (forwarded, peer),
                (Some(1), None),
                "behind a trusted proxy the forwarded client counts"
            );
        } else {
            assert_eq!(
                (forwarded, peer),
                (None, Some(1)),
                "without a trusted proxy the header is ignored"
            );
        }
    }
}

async fn resend_waits_for_cooldown(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("resend");
    let password = register(&app, &email).await;
    let challenge = start_login(&app, &email, &password).await;
    let first_code = code_number(&email, 1).await;
    let resend_path = format!("/api/v1/auth/login/{challenge}/resend");

    let early = app.post_raw(&resend_path, "application/json", "").await;
    assert_eq!(early.status(), 429);
    assert!(header(&early, "retry-after").is_some());
    assert_eq!(json_body(early).await["code"], "resend_too_early");

    app.state.clock.advance(TimeDelta::seconds(61));
    let resent = app.post_raw(&resend_path, "application/json", "").await;
    assert_eq!(resent.status(), 200);
    let second_code = code_number(&email, 2).await;
    if first_code != second_code {
        assert_eq!(
            submit_code(&app, &challenge, &first_code).await.status(),
            401
        );
    }
    assert_eq!(
        submit_code(&app, &challenge, &second_code).await.status(),
        200
    );
}

async fn new_login_ends_older_challenge(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("newer");
    let password = register(&app, &email).await;
    let older = start_login(&app, &email, &password).await;
    let older_code = code_number(&email, 1).await;

    let newer = start_login(&app, &email, &password).await;
    let newer_code = code_number(&email, 2).await;

    assert_eq!(submit_code(&app, &older, &older_code).await.status(), 410);
    assert_eq!(submit_code(&app, &newer, &newer_code).await.status(), 200);
}

async fn right_password_forgets_wrong_ones(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("forgets");
    let password = register(&app, &email).await;
    let address = incert_domain::Email::parse(&email).expect("email");
    let subject = incert_api::service::throttle_subject(&address, Some("127.0.0.1"));
    let counter = || {
        let subject = subject.clone();
        app.database().run(move |connection| {
            Ok::<_, incert_api::storage::StorageError>(incert_api::storage::throttle::current(
                connection,
                "login_password",
                &subject,
            )?)
        })
    };
    for attempt in 0..2 {
        let wrong = app
            .post_json(
                "/api/v1/auth/login",
                &json!({"email": email, "password": format!("Fel-lösen-{attempt}")}),
            )
            .await;
        assert_eq!(wrong.status(), 401);
    }
    let counted = counter().await.expect("counter before");

    start_login(&app, &email, &password).await;

    assert_eq!(counted.map(|(failures, _)| failures), Some(2));
    assert_eq!(counter().await.expect("counter after"), None);
    let account_email = email.clone();
    let events = app
        .database()
        .run(move |connection| {
            use incert_api::storage::{accounts, audit};
            let address = incert_domain::Email::parse(&account_email).expect("email");
            let account = accounts::find_by_email_key(connection, &address.normalized_key())?
                .expect("account");
            Ok::<_, incert_api::storage::StorageError>(audit::events_for_account(
                connection, account.id,
            )?)
        })
        .await
        .expect("events");
    assert_eq!(
        events
            .iter()
            .filter(|event| event.as_str() == "login_code_sent")
            .count(),
        1,
        "{events:?}"
    );
}

/// Two logins of one account that wait for the same counter lock still leave one open
/// challenge: the one that gets the lock second ends the first one's challenge.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn waiting_logins_leave_one_challenge() {
    let app = TestApp::spawn_with_mail(Backend::Postgres).await;
    let email = unique_email("waiting");
    let password = register(&app, &email).await;
    start_login(&app, &email, &password).await;
    let email_key = incert_domain::Email::parse(&email)
        .expect("email")
        .normalized_key();
    let (locked_sender, locked) = tokio::sync::oneshot::channel();
    let holder = app.database().run(move |connection| {
        use diesel::connection::SimpleConnection;
        connection.batch_execute(&format!(
            "BEGIN; SELECT failures FROM throttle_counters \
             WHERE scope = 'login_codes_sent' AND subject LIKE \
             (SELECT public_id FROM accounts WHERE email_key = '{email_key}') || '@%' FOR UPDATE"
        ))?;
        let _ = locked_sender.send(());
        std::thread::sleep(Duration::from_millis(500));
        connection.batch_execute("COMMIT")?;
        Ok::<_, incert_api::storage::StorageError>(())
    });
    let logins = async {
        locked.await.expect("lock taken");
        futures_util::future::join(
            start_login(&app, &email, &password),
            start_login(&app, &email, &password),
        )
        .await
    };

    let (held, _) = futures_util::future::join(holder, logins).await;

    held.expect("lock held and released");
    let account_email = email.clone();
    let open = app
        .database()
        .run(move |connection| {
            use diesel::prelude::*;
            use incert_api::storage::accounts;
            use incert_api::storage::schema::one_time_codes;
            let address = incert_domain::Email::parse(&account_email).expect("email");
            let account = accounts::find_by_email_key(connection, &address.normalized_key())?
                .expect("account");
            Ok::<_, incert_api::storage::StorageError>(
                one_time_codes::table
                    .filter(one_time_codes::account_id.eq(account.id))
                    .filter(one_time_codes::purpose.eq("login"))
                    .filter(one_time_codes::ended_at.is_null())
                    .count()
                    .get_result::<i64>(connection)?,
            )
        })
        .await
        .expect("open challenges");
    assert_eq!(open, 1);
}

async fn email_case_and_tags_log_in(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let id = uuid::Uuid::new_v4().simple().to_string();
    let email = format!("anna.svensson+incert{id}@example.se");
    let password = register(&app, &email).await;

    let shouted = format!("  Anna.Svensson+Incert{}@Example.SE ", id.to_uppercase());
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": shouted, "password": password}),
        )
        .await;

    assert_eq!(response.status(), 200);
}

async fn refresh_rotates_and_detects_reuse(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("refresh");
    let (_, tokens) = first_login(&app, &email).await;
    let first = tokens["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let refresh = |token: String| {
        let app = &app;
        async move {
            app.post_json(
                "/api/v1/auth/token/refresh",
                &json!({"refresh_token": token, "include_refresh_token": true}),
            )
            .await
        }
    };

    let rotated = refresh(first.clone()).await;
    assert_eq!(rotated.status(), 200);
    let second = json_body(rotated).await["refresh_token"]
        .as_str()
        .expect("token")
        .to_owned();
    assert_ne!(first, second);

    let concurrent = refresh(first.clone()).await;
    assert_eq!(
        concurrent.status(),
        401,
        "a token presented twice within seconds is refused"
    );
    app.state.clock.advance(TimeDelta::seconds(11));
    let reused = refresh(first).await;
    assert_eq!(reused.status(), 401);
    assert_eq!(json_body(reused).await["code"], "invalid_refresh_token");
    let after_reuse = refresh(second).await;
    assert_eq!(
        after_reuse.status(),
        401,
        "reuse must end the whole session"
    );
}

async fn concurrent_refreshes_keep_session(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("two-tabs");
    let (_, tokens) = first_login(&app, &email).await;
    let token = tokens["refresh_token"]
        .as_str()
        .expect("refresh token")
        .to_owned();
    let body = json!({"refresh_token": token, "include_refresh_token": true});

    let (first, second) = tokio::join!(
        app.post_json("/api/v1/auth/token/refresh", &body),
        app.post_json("/api/v1/auth/token/refresh", &body)
    );

    let statuses = [first.status().as_u16(), second.status().as_u16()];
    assert!(statuses.contains(&200), "{statuses:?}");
    let winner = if first.status() == 200 { first } else { second };
    let next = json_body(winner).await["refresh_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let later = app
        .post_json(
            "/api/v1/auth/token/refresh",
            &json!({"refresh_token": next}),
        )
        .await;
    assert_eq!(
        later.status(),
        200,
        "a concurrent refresh must not end the session"
    );
}

async fn logout_ends_session(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("logout");
    let (_, tokens) = first_login(&app, &email).await;
    let refresh_token = tokens["refresh_token"].as_str().expect("token").to_owned();
    let access = tokens["access_token"].as_str().expect("token").to_owned();

    let response = app
        .post_json(
            "/api/v1/auth/logout",
            &json!({"refresh_token": refresh_token}),
        )
        .await;

    assert_eq!(response.status(), 204);
    assert_eq!(
        get_with_token(&app, "/api/v1/me", &access).await.status(),
        401
    );
    let refreshed = app
        .post_json(
            "/api/v1/auth/token/refresh",
            &json!({"refresh_token": refresh_token}),
        )
        .await;
    assert_eq!(refreshed.status(), 401);
}

async fn registration_survives_smtp_outage(backend: Backend) {
    let port = free_port();
    let app = TestApp::spawn_with_worker(backend, |settings| {
        settings.mail_transport = incert_api::config::MailTransportKind::Smtp;
        settings.smtp_url = Some(incert_api::config::Secret::new(format!(
            "smtp://127.0.0.1:{port}"
        )));
    })
    .await;
    let email = unique_email("outage");
    let others = [unique_email("outage-b"), unique_email("outage-c")];

    let response = app
        .post_json("/api/v1/registrations/other", &registration(&email))
        .await;
    assert_eq!(response.status(), 202);
    for other in &others {
        let queued = app
            .post_json("/api/v1/registrations/other", &registration(other))
            .await;
        assert_eq!(queued.status(), 202);
    }
    // Logins keep answering while mail cannot go out.
    let refused = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": "Fel-lösenord-123"}),
        )
        .await;
    assert_eq!(refused.status(), 401);
    let recipient = email.clone();
    let database = app.database().clone();
    let attempted = wait_until(Duration::from_secs(10), || {
        let recipient = recipient.clone();
        let database = database.clone();
        async move {
            database
                .run(move |connection| {
                    Ok::<_, incert_api::storage::StorageError>(
                        incert_api::storage::outbox::states_for_recipient(connection, &recipient)?,
                    )
                })
                .await
                .is_ok_and(|states| {
                    states
                        .first()
                        .is_some_and(|state| state.attempts >= 1 && state.sent_at.is_none())
                })
        }
    })
    .await;
    assert!(
        attempted,
        "the welcome mail was not tried while SMTP was down"
    );

    let server = crate::outbox::SmtpServer::start(port);
    let mails = wait_for_messages(&server.received(), &email, WELCOME_MARKER, 1).await;
    let password = initial_password(&mails[0]);
    let login = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;
    assert_eq!(login.status(), 200);
    assert_eq!(
        crate::mailbox::messages_to(&server.received(), &email)
            .iter()
            .filter(|mail| mail.text().contains(WELCOME_MARKER))
            .count(),
        1
    );
    // Every message queued during the outage arrives, once.
    for other in &others {
        wait_for_messages(&server.received(), other, WELCOME_MARKER, 1).await;
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    for other in &others {
        let welcome = crate::mailbox::messages_to(&server.received(), other)
            .iter()
            .filter(|mail| mail.text().contains(WELCOME_MARKER))
            .count();
        assert_eq!(welcome, 1, "{other}");
    }
}

async fn invalid_registration_names_fields(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let response = app
        .post_json(
            "/api/v1/registrations/other",
            &json!({"email": "inte-en-adress", "birth_date": "1980-02-30", "first_name": " ", "last_name": "Person", "mobile": "07O-123"}),
        )
        .await;

    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["field"].as_str())
        .collect();
    assert_eq!(fields, vec!["email", "birth_date", "first_name", "mobile"]);
}

on_both_backends!(
    whole_flow_reaches_min_sida,
    password_checks_are_capped_per_address,
    password_change_names_each_broken_rule,
    registration_does_not_reveal_accounts,
    repeated_registrations_mail_owner_three_times,
    login_does_not_reveal_accounts,
    code_expires_after_ten_minutes,
    code_works_once,
    sixth_code_is_rejected,
    parallel_wrong_passwords_count_exactly,
    stranger_cannot_lock_out_owner,
    forwarded_address_counts_only_behind_trusted_proxy,
    resend_waits_for_cooldown,
    new_login_ends_older_challenge,
    right_password_forgets_wrong_ones,
    email_case_and_tags_log_in,
    refresh_rotates_and_detects_reuse,
    concurrent_refreshes_keep_session,
    logout_ends_session,
    registration_survives_smtp_outage,
    invalid_registration_names_fields,
);

async fn first_time_password_expires(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("stale");
    let password = register(&app, &email).await;

    app.state
        .clock
        .advance(TimeDelta::days(7) + TimeDelta::seconds(1));
    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;

    assert_eq!(response.status(), 401);
    assert_eq!(
        json_body(response).await["code"],
        "initial_password_expired"
    );
    let wrong = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": "Fel-lösen-123"}),
        )
        .await;
    assert_eq!(
        json_body(wrong).await["code"],
        "invalid_credentials",
        "a wrong password learns nothing"
    );
}

async fn app_with_code_cap(backend: Backend, cap: u32) -> TestApp {
    TestApp::spawn_with_worker(backend, move |settings| {
        settings.mail_transport = incert_api::config::MailTransportKind::Smtp;
        settings.smtp_url = Some(incert_api::config::Secret::new(format!(
            "smtp://127.0.0.1:{}",
            crate::helpers::required_env("INCERT_TEST_SMTP_PORT")
        )));
        settings.login_codes_per_hour = cap;
    })
    .await
}

async fn code_sends_are_capped_per_hour(backend: Backend) {
    let app = app_with_code_cap(backend, 2).await;
    let email = unique_email("capped");
    let password = register(&app, &email).await;

    start_login(&app, &email, &password).await;
    start_login(&app, &email, &password).await;
    let third = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
        .await;

    assert_eq!(third.status(), 429);
    // The cap lasts until the next clock hour begins.
    let retry_after: i64 = header(&third, "retry-after")
        .and_then(|value| value.parse().ok())
        .expect("a Retry-After in seconds");
    assert!((1..=3600).contains(&retry_after), "{retry_after}");
    app.state.clock.advance(TimeDelta::seconds(retry_after));
    start_login(&app, &email, &password).await;
}

/// Logins 50 minutes apart stay under a cap of two codes an hour, however long they go on.
async fn spaced_logins_stay_under_cap(backend: Backend) {
    let app = app_with_code_cap(backend, 2).await;
    let email = unique_email("spaced");
    let password = register(&app, &email).await;

    for _ in 0..4 {
        start_login(&app, &email, &password).await;
        app.state.clock.advance(TimeDelta::minutes(50));
    }
}

async fn revoked_session_stops_its_tokens(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("sessions");
    let (initial, tokens) = first_login(&app, &email).await;
    let restricted = tokens["access_token"].as_str().expect("token");
    let changed = change_password(&app, restricted, &initial, NEW_PASSWORD).await;
    let first = json_body(changed).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let challenge = start_login(&app, &email, NEW_PASSWORD).await;
    let code = code_number(&email, 2).await;
    let second = json_body(submit_code(&app, &challenge, &code).await).await["access_token"]
        .as_str()
        .expect("token")
        .to_owned();

    let listed = json_body(get_with_token(&app, "/api/v1/me/sessions", &first).await).await;
    let sessions = listed.as_array().expect("list");
    assert_eq!(sessions.len(), 2);
    let other = sessions
        .iter()
        .find(|session| session["current"] == false)
        .expect("other session");
    let other_id = other["id"].as_str().expect("id");
    let revoked = app
        .client
        .delete(app.url(&format!("/api/v1/me/sessions/{other_id}")))
        .bearer_auth(&first)
        .send()
        .await
        .expect("request");

    assert_eq!(revoked.status(), 204);
    assert_eq!(
        get_with_token(&app, "/api/v1/me", &second).await.status(),
        401
    );
    assert_eq!(
        get_with_token(&app, "/api/v1/me", &first).await.status(),
        200
    );
    let unknown = app
        .client
        .delete(app.url("/api/v1/me/sessions/no-such-session"))
        .bearer_auth(&first)
        .send()
        .await
        .expect("request");
    assert_eq!(unknown.status(), 404);
}

async fn audit_log_records_the_flow(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("audit");
    let (initial, tokens) = first_login(&app, &email).await;
    let restricted = tokens["access_token"].as_str().expect("token");
    change_password(&app, restricted, &initial, NEW_PASSWORD).await;
    app.post_json(
        "/api/v1/auth/login",
        &json!({"email": email, "password": "Fel-lösen-99"}),
    )
    .await;

    let key = email.clone();
    let events = app
        .database()
        .run(move |connection| {
            use incert_api::storage::{StorageError, accounts, audit};
            let account = accounts::find_by_email_key(connection, &key)?.expect("account");
            Ok::<_, StorageError>(audit::events_for_account(connection, account.id)?)
        })
        .await
        .expect("events");

    assert_eq!(
        events,
        vec![
            "registered",
            "login_code_sent",
            "login_succeeded",
            "password_changed",
            "login_password_failed"
        ]
    );
}

async fn staff_account_carries_its_role(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("staff");
    let security =
        incert_api::server::Security::from_settings(&app.state.settings).expect("security");
    let staff = incert_api::service::registration::NewStaff {
        email: &email,
        first_name: "Hanna",
        last_name: "Handläggare",
        role: "case_officer",
    };

    let created = incert_api::service::registration::create_staff(
        &security,
        app.database(),
        &app.state.mailer,
        &app.state.settings,
        &staff,
    )
    .await;
    app.state.mailer.wake_worker();

    assert!(created.is_ok(), "{created:?}");
    let duplicate = incert_api::service::registration::create_staff(
        &security,
        app.database(),
        &app.state.mailer,
        &app.state.settings,
        &staff,
    )
    .await;
    assert!(matches!(
        duplicate,
        Err(incert_api::service::registration::StaffError::EmailTaken)
    ));
    let unknown_role = incert_api::service::registration::NewStaff {
        role: "superuser",
        ..staff
    };
    let rejected = incert_api::service::registration::create_staff(
        &security,
        app.database(),
        &app.state.mailer,
        &app.state.settings,
        &unknown_role,
    )
    .await;
    assert!(matches!(
        rejected,
        Err(incert_api::service::registration::StaffError::UnknownRole(
            _
        ))
    ));
    let mails = wait_for_messages(&shared_inbox(), &email, WELCOME_MARKER, 1).await;
    let password = initial_password(&mails[0]);
    let challenge = start_login(&app, &email, &password).await;
    let code = code_number(&email, 1).await;
    let tokens = json_body(submit_code(&app, &challenge, &code).await).await;
    let me = json_body(
        get_with_token(
            &app,
            "/api/v1/me",
            tokens["access_token"].as_str().expect("token"),
        )
        .await,
    )
    .await;
    assert_eq!(me["role"], "case_officer");
    assert_eq!(me["birth_date"], Value::Null);
}

on_both_backends!(
    first_time_password_expires,
    code_sends_are_capped_per_hour,
    spaced_logins_stay_under_cap,
    revoked_session_stops_its_tokens,
    audit_log_records_the_flow,
    staff_account_carries_its_role,
);

async fn parallel_wrong_codes_count_exactly(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("code-flood");
    let password = register(&app, &email).await;
    let challenge = start_login(&app, &email, &password).await;
    let code = code_number(&email, 1).await;
    let wrong = if code == "000000" { "111111" } else { "000000" };

    let attempts = (0..50).map(|_| {
        let (app, challenge) = (&app, challenge.clone());
        async move { submit_code(app, &challenge, wrong).await.status().as_u16() }
    });
    let statuses = futures_util::future::join_all(attempts).await;

    let counted = statuses.iter().filter(|status| **status == 401).count();
    assert_eq!(
        counted, 5,
        "exactly five wrong codes may count against one challenge: {statuses:?}"
    );
    assert!(
        statuses
            .iter()
            .all(|status| [401, 410, 429].contains(status)),
        "{statuses:?}"
    );
    let (challenge_id, key) = (challenge.clone(), email.to_lowercase());
    let (attempts, failures, audited) = app
        .database()
        .run(move |connection| {
            use incert_api::storage::codes::{self, Purpose};
            use incert_api::storage::{StorageError, accounts, audit, throttle};
            let code = codes::find(connection, Purpose::Login, &challenge_id)?.expect("challenge");
            let account = accounts::find_by_email_key(connection, &key)?.expect("account");
            let failures = throttle::current(connection, "login_code", &account.public_id)?
                .map(|(count, _)| count);
            let audited = audit::events_for_account(connection, account.id)?
                .into_iter()
                .filter(|event| event == "login_code_failed")
                .count();
            Ok::<_, StorageError>((code.failed_attempts, failures, audited))
        })
        .await
        .expect("state");
    assert_eq!(attempts, 5);
    assert_eq!(
        failures,
        Some(i32::try_from(audited).expect("count")),
        "every counted failure is audited once"
    );
    assert!(audited >= 5);
    assert_eq!(submit_code(&app, &challenge, &code).await.status(), 410);
}

on_both_backends!(parallel_wrong_codes_count_exactly);
