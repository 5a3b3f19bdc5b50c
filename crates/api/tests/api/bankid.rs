//! Registration with a Swedish personnummer through BankID, and login with BankID, against
//! the simulator that the server mounts in `simulator` mode.

use std::time::Duration;

use incert_api::storage::StorageError;
use incert_api::storage::bankid_orders::{self, BankIdOrder};
use incert_bankid::simulator::{AppOrderView, Fault, Simulator, UserChoice};
use serde_json::{Value, json};

use crate::auth::{register, start_login, submit_code, unique_email};
use crate::helpers::{Backend, TestApp, header, json_body};
use crate::mailbox::{initial_password, shared_inbox, wait_for_messages};
use crate::on_both_backends;

const WELCOME_MARKER: &str = "Ditt engångslösenord är";
const ALREADY_REGISTERED_MARKER: &str = "Det finns redan ett konto";
/// The simulator's default test person.
const PERSONNUMMER: &str = "19811218-9876";

fn luhn_check_digit(nine_digits: &str) -> u32 {
    let sum: u32 = nine_digits
        .chars()
        .filter_map(|digit| digit.to_digit(10))
        .enumerate()
        .map(|(index, digit)| {
            let product = if index % 2 == 0 { digit * 2 } else { digit };
            product / 10 + product % 10
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Builds a 12-digit personnummer with a valid check digit from `YYYYMMDD` and a birth number.
fn personnummer(date: &str, birth_number: &str) -> String {
    let digit = luhn_check_digit(&format!("{}{birth_number}", &date[2..]));
    format!("{date}-{birth_number}{digit}")
}

/// Builds a random valid personnummer, so each test registers a different person.
fn random_personnummer() -> String {
    let serial = uuid::Uuid::new_v4().as_u128();
    let day = 1 + (serial % 28) as u32;
    let month = 1 + ((serial >> 8) % 12) as u32;
    let year = 1940 + ((serial >> 16) % 60) as u32;
    let birth_number = format!("{:03}", 1 + (serial >> 24) % 999);
    personnummer(&format!("{year}{month:02}{day:02}"), &birth_number)
}

fn request(personnummer: &str, email: &str, device: &str) -> Value {
    json!({
        "personnummer": personnummer,
        "first_name": "Test",
        "last_name": "Person",
        "email": email,
        "mobile": "070-123 45 67",
        "device": device,
    })
}

fn simulator(app: &TestApp) -> &Simulator {
    app.state
        .bankid
        .simulator()
        .expect("the test server runs in simulator mode")
}

async fn start(app: &TestApp, body: &Value) -> String {
    let response = app.post_json("/api/v1/registrations/swedish", body).await;
    assert_eq!(response.status(), 201);
    let body = json_body(response).await;
    assert_eq!(body["status"], "pending");
    body["id"].as_str().expect("id").to_owned()
}

async fn poll(app: &TestApp, id: &str) -> Value {
    let response = app
        .get(&format!("/api/v1/registrations/swedish/{id}"))
        .await;
    assert_eq!(response.status(), 200);
    json_body(response).await
}

/// Polls until the order leaves `pending`, as a browser does.
async fn poll_until_final(app: &TestApp, id: &str) -> Value {
    for _ in 0..50 {
        let state = poll(app, id).await;
        if state["status"] != "pending" {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("order {id} is still pending");
}

/// Opens the order in the simulator's virtual app the way the device choice implies and
/// returns its BankID order reference.
async fn open_in_app(app: &TestApp, id: &str) -> String {
    open_in_app_view(app, id).await.order_ref
}

/// Opens the order like [`open_in_app`] and returns what the virtual app shows.
async fn open_in_app_view(app: &TestApp, id: &str) -> AppOrderView {
    let state = poll(app, id).await;
    open_state_in_app(app, &state)
}

/// Opens an order in the virtual app from its polled state: by the launch link's autostart
/// token, or else by scanning the QR code.
fn open_state_in_app(app: &TestApp, state: &Value) -> AppOrderView {
    let sim = simulator(app);
    if let Some(link) = state["launch_link"].as_str() {
        let token = link
            .split("autostarttoken=")
            .nth(1)
            .and_then(|rest| rest.split('&').next())
            .expect("autostart token in the launch link");
        sim.open_auto_start(token).expect("open by autostart token")
    } else {
        let qr = state["qr_data"].as_str().expect("qr_data");
        sim.scan_qr_code(qr).expect("scan QR code")
    }
}

async fn stored_order(app: &TestApp, id: &str) -> BankIdOrder {
    let id = id.to_owned();
    app.database()
        .run(move |connection| bankid_orders::find(connection, &id).map_err(StorageError::from))
        .await
        .expect("read the stored order")
        .expect("the order is stored")
}

fn approve(app: &TestApp, order_ref: &str) {
    simulator(app)
        .approve(order_ref, &UserChoice::default(), "127.0.0.1")
        .expect("approve in the app");
}

async fn set_order_column(app: &TestApp, id: &str, assignment: &str) {
    let sql = format!("UPDATE bankid_orders SET {assignment} WHERE id = '{id}'");
    app.database()
        .run(move |connection| {
            diesel::RunQueryDsl::execute(diesel::sql_query(sql), connection)
                .map_err(StorageError::from)
        })
        .await
        .expect("update the stored order");
}

async fn register_with_bankid(backend: Backend, device: &str) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("bankid");
    let number = random_personnummer();
    let id = start(&app, &request(&number, &email, device)).await;

    let first = poll(&app, &id).await;
    assert_eq!(first["status"], "pending");
    assert!(first["message"].is_string(), "{first}");
    let pending = stored_order(&app, &id).await;
    let entered = pending.personnummer.unwrap_or_default();
    assert!(
        entered.starts_with("v1:") && !entered.contains(&number.replace('-', "")),
        "{entered}"
    );
    let secret = pending.qr_start_secret;
    assert!(
        !first.to_string().contains(&secret),
        "the QR start secret leaked"
    );
    if device == "this_device" {
        assert!(first["launch_link"].is_string(), "{first}");
        assert!(first["qr_data"].is_null(), "{first}");
    } else {
        assert!(
            first["qr_data"]
                .as_str()
                .is_some_and(|qr| qr.starts_with("bankid."))
        );
        assert!(first["launch_link"].is_null(), "{first}");
    }

    let view = open_in_app_view(&app, &id).await;
    let text = view.user_visible_text.expect("user visible text");
    assert!(
        text.starts_with("Jag registrerar ett personkonto i IncertOnline för Test Person"),
        "{text}"
    );
    assert!(text.contains(&email), "{text}");
    assert!(text.contains(&format!("({}-****)", &number[..8])), "{text}");
    assert!(
        !text.contains(&number),
        "the full personnummer is shown: {text}"
    );
    approve(&app, &view.order_ref);
    let last = poll_until_final(&app, &id).await;
    assert_eq!(last["status"], "complete", "{last}");
    assert!(last["qr_data"].is_null());
    assert!(last["launch_link"].is_null());

    let mails = wait_for_messages(&shared_inbox(), &email, WELCOME_MARKER, 1).await;
    let password = initial_password(&mails[0]);
    let challenge = start_login(&app, &email, &password).await;
    let code = crate::auth::code_number(&email, 1).await;
    let tokens = json_body(submit_code(&app, &challenge, &code).await).await;
    let token = tokens["access_token"].as_str().expect("token");
    let me = json_body(crate::auth::get_with_token(&app, "/api/v1/me", token).await).await;
    assert_eq!(me["personnummer_masked"], format!("{}-****", &number[..8]));

    // The database contains the number sealed, never in the clear.
    let key = email.to_lowercase();
    let stored = app
        .database()
        .run(move |connection| {
            let account = incert_api::storage::accounts::find_by_email_key(connection, &key)?
                .expect("account");
            Ok::<_, StorageError>((account.personnummer, account.personnummer_hash))
        })
        .await
        .expect("account");
    let (sealed, hash) = stored;
    let sealed = sealed.expect("sealed personnummer");
    let long_form = number.replace('-', "");
    assert!(
        sealed.starts_with("v1:") && !sealed.contains(&long_form),
        "{sealed}"
    );
    assert_eq!(
        hash,
        Some(app.state.personnummer_vault.lookup_hash(&long_form))
    );
}

async fn register_on_this_device(backend: Backend) {
    register_with_bankid(backend, "this_device").await;
}

async fn register_on_other_device(backend: Backend) {
    register_with_bankid(backend, "other_device").await;
}

async fn unopened_order_fails_to_start(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = start(
        &app,
        &request(
            &random_personnummer(),
            &unique_email("bankid-idle"),
            "other_device",
        ),
    )
    .await;

    // No app scans the QR code before the start timeout (30 seconds in the simulator).
    app.state.clock.advance(chrono::TimeDelta::seconds(31));
    let last = poll_until_final(&app, &id).await;

    assert_eq!(last["status"], "failed", "{last}");
    assert_eq!(last["hint_code"], "startFailed", "{last}");
    assert!(last["qr_data"].is_null());
}

async fn opened_order_expires(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = start(
        &app,
        &request(
            &random_personnummer(),
            &unique_email("bankid-late"),
            "this_device",
        ),
    )
    .await;
    open_in_app(&app, &id).await;

    // The person opened the app but never signed within the order's life (180 seconds).
    app.state.clock.advance(chrono::TimeDelta::seconds(181));
    let last = poll_until_final(&app, &id).await;

    assert_eq!(last["status"], "failed", "{last}");
    assert_eq!(last["hint_code"], "expiredTransaction", "{last}");
}

async fn english_text_and_messages(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut body = request(
        &random_personnummer(),
        &unique_email("bankid-en"),
        "other_device",
    );
    body["language"] = json!("en");
    let id = start(&app, &body).await;

    let view = open_in_app_view(&app, &id).await;
    let text = view.user_visible_text.expect("user visible text");
    assert!(
        text.starts_with("I am registering a personal account in IncertOnline"),
        "{text}"
    );

    let swedish = poll(&app, &id).await;
    let response = app
        .client
        .get(app.url(&format!("/api/v1/registrations/swedish/{id}")))
        .header("accept-language", "en")
        .send()
        .await
        .expect("poll in English");
    let english = json_body(response).await;
    assert!(english["message"].is_string(), "{english}");
    assert_ne!(english["message"], swedish["message"]);
    // The message number lets a client show the message in another language.
    assert!(
        english["message_code"]
            .as_str()
            .is_some_and(|code| code.starts_with("RFA")),
        "{english}"
    );
    assert_eq!(english["message_code"], swedish["message_code"]);
}

async fn cancel_ends_order(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("bankid-cancel");
    let id = start(
        &app,
        &request(&random_personnummer(), &email, "other_device"),
    )
    .await;

    let response = app
        .post_json(
            &format!("/api/v1/registrations/swedish/{id}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 200);
    let body = json_body(response).await;
    assert_eq!(body["status"], "cancelled");
    assert!(body["qr_data"].is_null());

    assert_eq!(poll(&app, &id).await["status"], "cancelled");
    let again = app
        .post_json(
            &format!("/api/v1/registrations/swedish/{id}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(again.status(), 200);
    assert_eq!(json_body(again).await["status"], "cancelled");
}

async fn cancel_in_app_fails_order(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let id = start(
        &app,
        &request(
            &random_personnummer(),
            &unique_email("bankid-app"),
            "this_device",
        ),
    )
    .await;
    let order_ref = open_in_app(&app, &id).await;
    simulator(&app)
        .cancel_in_app(&order_ref)
        .expect("cancel in the app");
    let last = poll_until_final(&app, &id).await;
    assert_eq!(last["status"], "failed");
    assert_eq!(last["hint_code"], "userCancel");
    assert!(last["message"].is_string());
}

async fn signer_mismatch_creates_no_account(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("bankid-mismatch");
    let id = start(
        &app,
        &request(&random_personnummer(), &email, "this_device"),
    )
    .await;
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);
    // The simulator only lets the required person sign, so the entered number is changed
    // after the order started, as if BankID had returned another signer.
    let other = personnummer("19700101", "123");
    let sealed = app
        .state
        .personnummer_vault
        .seal(&other.replace('-', ""))
        .expect("sealed");
    set_order_column(&app, &id, &format!("personnummer = '{sealed}'")).await;

    let last = poll_until_final(&app, &id).await;
    assert_eq!(last["status"], "failed");
    assert_eq!(last["failure_code"], "bankid_personnummer_mismatch");

    let response = app
        .post_json(
            "/api/v1/auth/login",
            &json!({"email": email, "password": "Inget-Konto-2031"}),
        )
        .await;
    assert_eq!(response.status(), 401);
}

async fn existing_email_gets_notice(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("bankid-existing");
    register(&app, &email).await;

    let id = start(&app, &request(PERSONNUMMER, &email, "this_device")).await;
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);
    assert_eq!(poll_until_final(&app, &id).await["status"], "complete");

    wait_for_messages(&shared_inbox(), &email, ALREADY_REGISTERED_MARKER, 1).await;
}

async fn existing_personnummer_gets_notice(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let number = random_personnummer();
    let first_email = unique_email("bankid-first");
    let id = start(&app, &request(&number, &first_email, "this_device")).await;
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);
    assert_eq!(poll_until_final(&app, &id).await["status"], "complete");
    wait_for_messages(&shared_inbox(), &first_email, WELCOME_MARKER, 1).await;

    let second_email = unique_email("bankid-second");
    let id = start(&app, &request(&number, &second_email, "this_device")).await;
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);
    assert_eq!(poll_until_final(&app, &id).await["status"], "complete");

    wait_for_messages(&shared_inbox(), &first_email, ALREADY_REGISTERED_MARKER, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let second_inbox = crate::mailbox::messages_to(&shared_inbox(), &second_email);
    assert!(
        second_inbox.is_empty(),
        "no mail goes to the second address"
    );
}

async fn invalid_personnummer_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let cases = [
        (
            personnummer("20991231", "123"),
            "personnummer_future_birth_date",
        ),
        (
            personnummer("19811218", "000"),
            "personnummer_birth_number_zero",
        ),
        ("19811218-9875".to_owned(), "personnummer_invalid_checksum"),
        ("811218987".to_owned(), "personnummer_invalid_format"),
        ("19811218 9876".to_owned(), "personnummer_invalid_format"),
        ("556016-0680".to_owned(), "personnummer_organisation_number"),
    ];
    for (input, code) in cases {
        let response = app
            .post_json(
                "/api/v1/registrations/swedish",
                &request(&input, &unique_email("bankid-invalid"), "this_device"),
            )
            .await;
        assert_eq!(response.status(), 422, "{input}");
        let body = json_body(response).await;
        let errors = body["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{input}: {body}");
        assert_eq!(errors[0]["field"], "personnummer", "{input}");
        assert_eq!(errors[0]["code"], code, "{input}");
    }
    assert_eq!(simulator(&app).order_count(), 0);
}

async fn other_invalid_fields_named(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .post_json(
            "/api/v1/registrations/swedish",
            &json!({
                "personnummer": PERSONNUMMER,
                "first_name": "",
                "last_name": "Person",
                "email": "not-an-email",
                "mobile": "12",
                "device": "this_device",
            }),
        )
        .await;
    assert_eq!(response.status(), 422);
    let body = json_body(response).await;
    let mut fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["field"].as_str())
        .collect();
    fields.sort_unstable();
    assert_eq!(fields, ["email", "first_name", "mobile"]);
}

async fn held_lease_skips_collect(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let email = unique_email("bankid-lease");
    let id = start(
        &app,
        &request(&random_personnummer(), &email, "this_device"),
    )
    .await;
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);

    // Another node holds the lease, so this poll returns the last stored state.
    set_order_column(&app, &id, "collecting_until = '2999-01-01 00:00:00'").await;
    assert_eq!(poll(&app, &id).await["status"], "pending");

    set_order_column(&app, &id, "collecting_until = NULL").await;
    let (first, second) = tokio::join!(poll(&app, &id), poll(&app, &id));
    let statuses = [first["status"].clone(), second["status"].clone()];
    assert!(statuses.contains(&json!("complete")), "{statuses:?}");
    assert_eq!(poll(&app, &id).await["status"], "complete");

    wait_for_messages(&shared_inbox(), &email, WELCOME_MARKER, 1).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    let welcomes = crate::mailbox::messages_to(&shared_inbox(), &email)
        .into_iter()
        .filter(|mail| mail.text().contains(WELCOME_MARKER))
        .count();
    assert_eq!(welcomes, 1);
}

async fn bankid_faults_handled(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let body = request(
        &random_personnummer(),
        &unique_email("bankid-fault"),
        "this_device",
    );

    simulator(&app).force_next_fault(Fault::Maintenance);
    let response = app.post_json("/api/v1/registrations/swedish", &body).await;
    assert_eq!(response.status(), 503);
    assert_eq!(json_body(response).await["code"], "service_unavailable");

    simulator(&app).force_next_fault(Fault::AlreadyInProgress);
    let busy = app.post_json("/api/v1/registrations/swedish", &body).await;
    assert_eq!(busy.status(), 409);
    assert_eq!(json_body(busy).await["code"], "bankid_already_in_progress");

    let id = start(&app, &body).await;
    simulator(&app).force_next_fault(Fault::InternalError);
    let state = poll(&app, &id).await;
    assert_eq!(state["status"], "pending");
    assert!(state["message"].is_string(), "{state}");
    // The lease was released, so the next poll collects again.
    assert_eq!(poll(&app, &id).await["status"], "pending");
    let stored = stored_order(&app, &id).await;
    assert!(stored.collecting_until.is_none());

    // After a timeout from BankID the order still completes, and only once.
    simulator(&app).force_next_fault(Fault::RequestTimeout);
    assert_eq!(poll(&app, &id).await["status"], "pending");
    let order_ref = open_in_app(&app, &id).await;
    approve(&app, &order_ref);
    assert_eq!(poll_until_final(&app, &id).await["status"], "complete");
    assert_eq!(poll(&app, &id).await["status"], "complete");
    let email = body["email"].as_str().expect("email").to_owned();
    let accounts = app
        .database()
        .run(move |connection| {
            use diesel::prelude::*;
            use incert_api::storage::schema::accounts;

            accounts::table
                .filter(accounts::email.eq(email))
                .count()
                .get_result::<i64>(connection)
                .map_err(StorageError::from)
        })
        .await
        .expect("count accounts");
    assert_eq!(accounts, 1);
}

async fn unknown_order_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let response = app
        .get("/api/v1/registrations/swedish/00000000-0000-4000-8000-000000000000")
        .await;
    assert_eq!(response.status(), 404);
    let response = app.get("/api/v1/registrations/swedish/not-a-uuid").await;
    assert_eq!(response.status(), 404);
}

/// Registers a person through BankID with the default device and waits for the account.
async fn register_person(app: &TestApp, personnummer: &str) -> String {
    let email = unique_email("bankid-login");
    let id = start(app, &request(personnummer, &email, "this_device")).await;
    let order_ref = open_in_app(app, &id).await;
    approve(app, &order_ref);
    let last = poll_until_final(app, &id).await;
    assert_eq!(last["status"], "complete", "{last}");
    email
}

async fn start_bankid_login(app: &TestApp, device: &str) -> String {
    let response = app
        .post_json("/api/v1/auth/bankid", &json!({"device": device}))
        .await;
    assert_eq!(response.status(), 201);
    let body = json_body(response).await;
    assert_eq!(body["status"], "pending");
    body["id"].as_str().expect("id").to_owned()
}

async fn poll_login(app: &TestApp, id: &str) -> Value {
    let response = app.get(&format!("/api/v1/auth/bankid/{id}")).await;
    assert_eq!(response.status(), 200);
    json_body(response).await
}

async fn poll_login_until_final(app: &TestApp, id: &str) -> Value {
    for _ in 0..50 {
        let state = poll_login(app, id).await;
        if state["status"] != "pending" {
            return state;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("login order {id} is still pending");
}

/// Approves a login order in the virtual app as the person with `personnummer`.
async fn approve_login(app: &TestApp, id: &str, personnummer: &str) {
    let state = poll_login(app, id).await;
    let view = open_state_in_app(app, &state);
    let choice = UserChoice {
        personal_number: Some(personnummer.to_owned()),
        ..UserChoice::default()
    };
    simulator(app)
        .approve(&view.order_ref, &choice, "127.0.0.1")
        .expect("approve in the app");
}

async fn fetch_login_tokens(app: &TestApp, id: &str) -> reqwest::Response {
    app.post_json(
        &format!("/api/v1/auth/bankid/{id}/tokens"),
        &json!({"include_refresh_token": true}),
    )
    .await
}

async fn login_with_bankid(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let number = random_personnummer();
    let email = register_person(&app, &number).await;

    for device in ["this_device", "other_device"] {
        let id = start_bankid_login(&app, device).await;
        let early = fetch_login_tokens(&app, &id).await;
        assert_eq!(early.status(), 409, "tokens of a pending order");

        approve_login(&app, &id, &number).await;
        let last = poll_login_until_final(&app, &id).await;
        assert_eq!(last["status"], "complete", "{last}");
        assert!(last["failure_code"].is_null(), "{last}");
        assert!(last["launch_link"].is_null(), "{last}");
        assert!(last["qr_data"].is_null(), "{last}");

        let response = fetch_login_tokens(&app, &id).await;
        assert_eq!(response.status(), 200);
        let cookie = response
            .headers()
            .get(reqwest::header::SET_COOKIE)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .to_owned();
        assert!(cookie.starts_with("incert_refresh="), "{cookie}");
        assert!(cookie.contains("HttpOnly"), "{cookie}");
        let tokens = json_body(response).await;
        // The account still has the first-time password from the registration email.
        assert_eq!(tokens["scope"], "password_change");
        assert!(tokens["refresh_token"].is_string(), "{tokens}");
        let token = tokens["access_token"].as_str().expect("token");
        let me = crate::auth::get_with_token(&app, "/api/v1/me", token).await;
        assert_eq!(me.status(), 200);
        let me = json_body(me).await;
        assert!(
            me["email"]
                .as_str()
                .is_some_and(|stored| stored.eq_ignore_ascii_case(&email)),
            "{me}"
        );

        let second = fetch_login_tokens(&app, &id).await;
        assert_eq!(second.status(), 410);
        let second = json_body(second).await;
        assert_eq!(second["code"], "login_challenge_ended");
    }

    let events = app
        .database()
        .run(move |connection| {
            diesel::RunQueryDsl::load::<AuditDetail>(
                diesel::sql_query(
                    "SELECT detail FROM audit_events WHERE event = 'login_succeeded'",
                ),
                connection,
            )
            .map_err(StorageError::from)
        })
        .await
        .expect("read the audit events");
    let bankid_logins = events
        .iter()
        .filter(|event| event.detail.as_deref() == Some("bankid"))
        .count();
    assert_eq!(bankid_logins, 2);
}

#[derive(diesel::QueryableByName)]
struct AuditDetail {
    #[diesel(sql_type = diesel::sql_types::Nullable<diesel::sql_types::Text>)]
    detail: Option<String>,
}

async fn login_without_account_fails(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = start_bankid_login(&app, "this_device").await;

    approve_login(&app, &id, &random_personnummer()).await;
    let last = poll_login_until_final(&app, &id).await;
    assert_eq!(last["status"], "failed", "{last}");
    assert_eq!(last["failure_code"], "bankid_no_account");
    assert!(
        last["message"]
            .as_str()
            .is_some_and(|message| message.contains("inget konto")),
        "{last}"
    );

    let response = fetch_login_tokens(&app, &id).await;
    assert_eq!(response.status(), 410);
    assert_eq!(json_body(response).await["code"], "login_challenge_ended");
}

/// Tokens asked for before a status poll has seen the order complete: before the person
/// approves, and after the approval but before the next poll.
async fn tokens_before_completion_rejected(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let number = random_personnummer();
    register_person(&app, &number).await;
    let id = start_bankid_login(&app, "other_device").await;

    let response = fetch_login_tokens(&app, &id).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        header(&response, "content-type").as_deref(),
        Some("application/problem+json")
    );
    let problem = json_body(response).await;
    assert_eq!(problem["code"], "bankid_order_not_complete");
    assert_eq!(problem["status"], 409);
    assert_eq!(problem["title"], "BankID-inloggningen är inte klar");

    let response = app
        .client
        .post(app.url(&format!("/api/v1/auth/bankid/{id}/tokens")))
        .header("accept-language", "en")
        .json(&json!({"include_refresh_token": true}))
        .send()
        .await
        .expect("fetch the tokens in English");
    assert_eq!(response.status(), 409);
    let problem = json_body(response).await;
    assert_eq!(problem["code"], "bankid_order_not_complete");
    assert_eq!(problem["title"], "BankID login not complete");

    // Approved in the app, but the server learns of it only from the next status poll.
    approve_login(&app, &id, &number).await;
    let response = fetch_login_tokens(&app, &id).await;
    assert_eq!(response.status(), 409);
    assert_eq!(
        json_body(response).await["code"],
        "bankid_order_not_complete"
    );
    assert!(!stored_order(&app, &id).await.is_final);

    let last = poll_login_until_final(&app, &id).await;
    assert_eq!(last["status"], "complete", "{last}");
    let response = fetch_login_tokens(&app, &id).await;
    assert_eq!(response.status(), 200);
    assert!(json_body(response).await["access_token"].is_string());
}

/// Checks that a cancelled order's tokens are gone (410), not pending (409), because a
/// cancelled order never completes.
async fn tokens_of_cancelled_order_gone(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let id = start_bankid_login(&app, "this_device").await;
    let response = app
        .post_json(&format!("/api/v1/auth/bankid/{id}/cancel"), &json!({}))
        .await;
    assert_eq!(response.status(), 200);
    assert_eq!(json_body(response).await["status"], "cancelled");

    let response = fetch_login_tokens(&app, &id).await;
    assert_eq!(response.status(), 410);
    assert_eq!(json_body(response).await["code"], "login_challenge_ended");
}

async fn login_order_not_found(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let unknown = "00000000-0000-4000-8000-000000000000";
    let response = app.get(&format!("/api/v1/auth/bankid/{unknown}")).await;
    assert_eq!(response.status(), 404);
    let response = fetch_login_tokens(&app, unknown).await;
    assert_eq!(response.status(), 404);

    // A registration order is not a login order.
    let registration = start(
        &app,
        &request(
            &random_personnummer(),
            &unique_email("bankid"),
            "this_device",
        ),
    )
    .await;
    let response = app
        .get(&format!("/api/v1/auth/bankid/{registration}"))
        .await;
    assert_eq!(response.status(), 404);
    let response = app
        .post_json(
            &format!("/api/v1/auth/bankid/{registration}/cancel"),
            &json!({}),
        )
        .await;
    assert_eq!(response.status(), 404);
}

/// Starts the BankID simulator as a service of its own on a free port and returns it with its
/// base URL.
async fn standalone_simulator() -> (Simulator, String) {
    let simulator = Simulator::new(incert_bankid::simulator::SimulatorConfig::default());
    let served = simulator.clone();
    let server =
        actix_web::HttpServer::new(move || actix_web::App::new().service(served.scope("")))
            .workers(1)
            .bind(("127.0.0.1", 0))
            .expect("bind the simulator");
    let address = server.addrs()[0];
    tokio::spawn(server.run());
    (simulator, format!("http://{address}"))
}

/// Two API nodes on one database share a standalone simulator: an order started on one node
/// completes when the other polls it.
async fn nodes_share_standalone_simulator(backend: Backend) {
    let (simulator, url) = standalone_simulator().await;
    let secret =
        incert_api::config::Secret::new(format!("{:064x}", uuid::Uuid::new_v4().as_u128()));
    let first = TestApp::spawn_with_mail_and(backend, {
        let url = url.clone();
        let secret = secret.clone();
        move |settings| {
            settings.bankid_url = Some(url);
            settings.secret_key = Some(secret);
        }
    })
    .await;
    assert!(first.state.bankid.simulator().is_none());
    let database_url = first.state.settings.database_url.clone();
    let second = TestApp::spawn_with(backend, move |settings| {
        settings.bankid_url = Some(url);
        settings.secret_key = Some(secret);
        settings.database_url = database_url;
    })
    .await;

    let email = unique_email("shared");
    let id = start(
        &first,
        &request(&random_personnummer(), &email, "other_device"),
    )
    .await;
    let state = poll(&second, &id).await;
    let qr = state["qr_data"].as_str().expect("qr_data");
    let view = simulator.scan_qr_code(qr).expect("scan QR code");
    simulator
        .approve(&view.order_ref, &UserChoice::default(), "127.0.0.1")
        .expect("approve in the app");
    let last = poll_until_final(&second, &id).await;
    assert_eq!(last["status"], "complete", "{last}");
    let mails = wait_for_messages(&shared_inbox(), &email, WELCOME_MARKER, 1).await;
    assert_eq!(mails.len(), 1);
}

on_both_backends!(unopened_order_fails_to_start, opened_order_expires);

on_both_backends!(
    register_on_this_device,
    register_on_other_device,
    english_text_and_messages,
    cancel_ends_order,
    cancel_in_app_fails_order,
    signer_mismatch_creates_no_account,
    existing_email_gets_notice,
    existing_personnummer_gets_notice,
    invalid_personnummer_named,
    other_invalid_fields_named,
    held_lease_skips_collect,
    bankid_faults_handled,
    unknown_order_not_found,
    login_with_bankid,
    login_without_account_fails,
    tokens_before_completion_rejected,
    tokens_of_cancelled_order_gone,
    login_order_not_found,
    nodes_share_standalone_simulator,
);
