//! The examination centres' API: client credentials and tokens, exam sessions, enrolments
//! with `Idempotency-Key`, results, and the staff operations on centres.

use chrono::{DateTime, TimeDelta, Utc};
use incert_api::service::centre::clients::{self, Actor, CentreChoice};
use incert_api::storage::StorageError;
use incert_api::storage::accounts::{self, NewAccount};
use incert_api::storage::schema::{applications, enrolments};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, header, json_body};
use crate::on_both_backends;
use crate::people::{give_personnummer, signed_in_person, signed_in_staff};

/// Skatteverket test personnummer.
const PERSONNUMMER: &str = "19900101-2385";
const OTHER_PERSONNUMMER: &str = "19900102-2384";
const UNREGISTERED_PERSONNUMMER: &str = "19900103-2391";

/// Client credentials of a centre.
#[derive(Debug, Clone)]
struct Credentials {
    client_id: String,
    secret: String,
}

/// Creates a centre of this name, if needed, and credentials for it, as the command line does.
async fn centre_credentials(app: &TestApp, name: &str) -> Credentials {
    let details = clients::validate_centre(name, None).expect("valid centre");
    let created = clients::create_client(
        app.database(),
        &app.state.code_hasher,
        CentreChoice::NameOrNew(details),
        Some("test"),
        Actor::default(),
        app.state.clock.naive_now(),
    )
    .await
    .expect("credentials created");
    Credentials {
        client_id: created.client_id,
        secret: created.client_secret,
    }
}

async fn token_request(
    app: &TestApp,
    form: &str,
    basic: Option<&Credentials>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url("/api/v1/oauth/token"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(form.to_owned());
    if let Some(credentials) = basic {
        request = request.basic_auth(&credentials.client_id, Some(&credentials.secret));
    }
    request.send().await.expect("request")
}

/// Returns a centre access token from the client credentials grant.
async fn centre_token(app: &TestApp, credentials: &Credentials) -> String {
    let response = token_request(app, "grant_type=client_credentials", Some(credentials)).await;
    assert_eq!(response.status(), 200);
    json_body(response).await["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// Creates a centre with credentials and returns its token.
async fn new_centre(app: &TestApp, name: &str) -> String {
    let credentials = centre_credentials(app, name).await;
    centre_token(app, &credentials).await
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<&Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(body);
    }
    request.send().await.expect("request")
}

async fn get(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    send(app, reqwest::Method::GET, path, token, None).await
}

fn session_body(starts_at: DateTime<Utc>, seats: u32) -> Value {
    json!({
        "certificate_type": "KAT1",
        "starts_at": starts_at.to_rfc3339(),
        "place": "Industrigatan 4, Malmö",
        "seats": seats,
    })
}

/// Publishes a KAT1 session and returns its id.
async fn create_session(
    app: &TestApp,
    token: &str,
    starts_at: DateTime<Utc>,
    seats: u32,
) -> String {
    let response = send(
        app,
        reqwest::Method::POST,
        "/api/v1/centre/exam-sessions",
        token,
        Some(&session_body(starts_at, seats)),
    )
    .await;
    assert_eq!(response.status(), 201);
    json_body(response).await["id"]
        .as_str()
        .expect("session id")
        .to_owned()
}

async fn enrol(
    app: &TestApp,
    token: &str,
    session: &str,
    body: &Value,
    key: Option<&str>,
) -> reqwest::Response {
    let mut request = app
        .client
        .post(app.url(&format!(
            "/api/v1/centre/exam-sessions/{session}/enrolments"
        )))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        request = request.header("Idempotency-Key", key);
    }
    request.send().await.expect("request")
}

/// Stores a personal account directly, born 1985-05-05 unless it has a personnummer. It
/// cannot log in; centres only need it to exist.
async fn insert_person(app: &TestApp, email: &str, personnummer: Option<&str>) -> i64 {
    let long_form = personnummer.map(|number| number.replace('-', ""));
    let sealed = long_form.as_deref().map(|number| {
        app.state
            .personnummer_vault
            .seal(number)
            .expect("sealed personnummer")
    });
    let hash = long_form
        .as_deref()
        .map(|number| app.state.personnummer_vault.lookup_hash(number));
    let now = Utc::now().naive_utc();
    let account = NewAccount {
        public_id: uuid::Uuid::new_v4().simple().to_string(),
        email: email.to_owned(),
        email_key: email.to_lowercase(),
        first_name: "Kim".to_owned(),
        last_name: "Kandidat".to_owned(),
        birth_date: personnummer
            .is_none()
            .then(|| chrono::NaiveDate::from_ymd_opt(1985, 5, 5).expect("date")),
        personnummer: sealed,
        personnummer_hash: hash,
        mobile: None,
        language: "sv".to_owned(),
        role: "person".to_owned(),
        password_hash: "not-a-hash".to_owned(),
        must_change_password: false,
        initial_password_expires_at: None,
        created_at: now,
        updated_at: now,
    };
    app.database()
        .run(move |connection| Ok::<_, StorageError>(accounts::insert(connection, &account)?))
        .await
        .expect("account stored")
}

/// Returns the row id of the account with this public id.
async fn account_id(app: &TestApp, public_id: &str) -> i64 {
    use diesel::prelude::*;
    use incert_api::storage::schema::accounts;

    let public_id = public_id.to_owned();
    app.database()
        .run(move |connection| {
            Ok::<_, StorageError>(
                accounts::table
                    .filter(accounts::public_id.eq(public_id))
                    .select(accounts::id)
                    .first(connection)?,
            )
        })
        .await
        .expect("account")
}

/// Returns (state, source) of every application of an account.
async fn applications_of(app: &TestApp, account_id: i64) -> Vec<(String, String)> {
    use diesel::prelude::*;

    app.database()
        .run(move |connection| {
            Ok::<_, StorageError>(
                applications::table
                    .filter(applications::account_id.eq(account_id))
                    .select((applications::state, applications::source))
                    .load(connection)?,
            )
        })
        .await
        .expect("applications")
}

async fn enrolment_count(app: &TestApp) -> i64 {
    use diesel::prelude::*;

    app.database()
        .run(|connection| Ok::<_, StorageError>(enrolments::table.count().get_result(connection)?))
        .await
        .expect("count")
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

fn issue(field: &str, code: &str) -> (String, String) {
    (field.to_owned(), code.to_owned())
}

async fn token_grant_checks_client_and_grant(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let credentials = centre_credentials(&app, "Provcenter Syd").await;
    let wrong = Credentials {
        secret: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".to_owned(),
        ..credentials.clone()
    };
    let unknown = Credentials {
        client_id: "centre_0000000000000000".to_owned(),
        ..credentials.clone()
    };

    let wrong_secret = token_request(&app, "grant_type=client_credentials", Some(&wrong)).await;
    let unknown_client = token_request(&app, "grant_type=client_credentials", Some(&unknown)).await;
    let no_client = token_request(&app, "grant_type=client_credentials", None).await;

    for response in [wrong_secret, unknown_client, no_client] {
        assert_eq!(response.status(), 401);
        assert_eq!(
            header(&response, "www-authenticate").as_deref(),
            Some("Basic realm=\"incert\"")
        );
        assert_eq!(
            header(&response, "cache-control").as_deref(),
            Some("no-store")
        );
        let body = json_body(response).await;
        assert_eq!(body["error"], "invalid_client");
        assert_eq!(body["error_description"], "Client authentication failed.");
    }

    let cases = [
        ("grant_type=password", "unsupported_grant_type"),
        ("", "invalid_request"),
        (
            "grant_type=client_credentials&grant_type=client_credentials",
            "invalid_request",
        ),
        ("grant_type=client_credentials&scope=admin", "invalid_scope"),
        (
            "grant_type=client_credentials&client_secret=x",
            "invalid_request",
        ),
    ];
    for (form, error) in cases {
        let response = token_request(&app, form, Some(&credentials)).await;
        assert_eq!(response.status(), 400, "{form}");
        assert_eq!(json_body(response).await["error"], error, "{form}");
    }
    let json_body_request = app
        .client
        .post(app.url("/api/v1/oauth/token"))
        .basic_auth(&credentials.client_id, Some(&credentials.secret))
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .expect("request");
    assert_eq!(json_body_request.status(), 400);

    let form = format!(
        "grant_type=client_credentials&scope=centre&client_id={}&client_secret={}",
        credentials.client_id, credentials.secret
    );
    let by_form = token_request(&app, &form, None).await;
    assert_eq!(by_form.status(), 200);
    assert_eq!(
        header(&by_form, "cache-control").as_deref(),
        Some("no-store")
    );
    let granted = json_body(by_form).await;
    assert_eq!(granted["token_type"], "Bearer");
    assert_eq!(granted["scope"], "centre");
    assert_eq!(granted["expires_in"], 900);
    let token = granted["access_token"].as_str().expect("token");

    let sessions = get(&app, "/api/v1/centre/exam-sessions", token).await;
    assert_eq!(sessions.status(), 200);
    assert_eq!(json_body(sessions).await["total"], 0);
}

async fn failed_grants_are_throttled_per_address(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let credentials = centre_credentials(&app, "Provcenter Norr").await;
    let wrong = Credentials {
        secret: "wrong".to_owned(),
        ..credentials.clone()
    };

    for _ in 0..19 {
        let response = token_request(&app, "grant_type=client_credentials", Some(&wrong)).await;
        assert_eq!(response.status(), 401);
    }
    // A success in between does not clear the count of failures.
    let granted = token_request(&app, "grant_type=client_credentials", Some(&credentials)).await;
    assert_eq!(granted.status(), 200);
    let last = token_request(&app, "grant_type=client_credentials", Some(&wrong)).await;
    assert_eq!(last.status(), 401);
    let throttled = token_request(&app, "grant_type=client_credentials", Some(&credentials)).await;

    assert_eq!(throttled.status(), 429);
    assert!(header(&throttled, "retry-after").is_some());
    assert_eq!(json_body(throttled).await["code"], "rate_limited");
}

async fn token_rejects_bad_bodies(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let credentials = centre_credentials(&app, "Provcenter Syd").await;

    let padding = "x".repeat(9 * 1024);
    let oversized = token_request(
        &app,
        &format!("grant_type=client_credentials&padding={padding}"),
        Some(&credentials),
    )
    .await;
    assert_eq!(oversized.status(), 413);
    assert_eq!(
        header(&oversized, "content-type").as_deref(),
        Some("application/problem+json")
    );
    assert_eq!(json_body(oversized).await["code"], "payload_too_large");

    let null_in_form = token_request(
        &app,
        &format!(
            "grant_type=client_credentials&client_id={}%00&client_secret=x",
            credentials.client_id
        ),
        None,
    )
    .await;
    assert_eq!(null_in_form.status(), 400);
    assert_eq!(json_body(null_in_form).await["error"], "invalid_request");
}

async fn token_kinds_stay_apart(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let centre_token = new_centre(&app, "Provcenter Öst").await;
    let person = signed_in_person(&app, "person").await;

    let centre_on_me = get(&app, "/api/v1/me", &centre_token).await;
    let person_on_centre = get(&app, "/api/v1/centre/exam-sessions", &person.token).await;
    let centre_on_admin = get(&app, "/api/v1/admin/examination-centres", &centre_token).await;

    assert_eq!(centre_on_me.status(), 401);
    assert_eq!(person_on_centre.status(), 403);
    assert_eq!(json_body(person_on_centre).await["code"], "forbidden");
    assert_eq!(centre_on_admin.status(), 401);
}

async fn registered_person_is_enrolled(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let token = new_centre(&app, "Provcenter Registrerad").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 10).await;
    let person = signed_in_person(&app, "registered").await;
    give_personnummer(&app, &person, PERSONNUMMER).await;

    let enrolled = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        None,
    )
    .await;

    assert_eq!(enrolled.status(), 201);
    assert_eq!(json_body(enrolled).await["candidate_name"], "Test Person");
    let account = account_id(&app, &person.id).await;
    assert_eq!(
        applications_of(&app, account).await,
        vec![("awaiting_exam".to_owned(), "centre".to_owned())]
    );
}

async fn administrator_manages_centres_and_credentials(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let officer = signed_in_staff(&app, "case_officer").await;

    let refused = get(&app, "/api/v1/admin/examination-centres", &officer.token).await;
    assert_eq!(refused.status(), 403);
    let created = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/admin/examination-centres",
        &administrator.token,
        Some(&json!({"name": " Kylteknik Provcenter ", "contact_email": "prov@kylteknik.example.se"})),
    )
    .await;
    assert_eq!(created.status(), 201);
    let centre = json_body(created).await;
    assert_eq!(centre["name"], "Kylteknik Provcenter");
    let centre_id = centre["id"].as_str().expect("centre id");
    let duplicate = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/admin/examination-centres",
        &administrator.token,
        Some(&json!({"name": "Kylteknik Provcenter"})),
    )
    .await;
    assert_eq!(duplicate.status(), 422);
    assert_eq!(
        error_fields(&json_body(duplicate).await),
        vec![issue("name", "centre_name_taken")]
    );

    let issued = send(
        &app,
        reqwest::Method::POST,
        &format!("/api/v1/admin/examination-centres/{centre_id}/clients"),
        &administrator.token,
        Some(&json!({"label": "Bokningssystem"})),
    )
    .await;
    assert_eq!(issued.status(), 201);
    assert_eq!(
        header(&issued, "cache-control").as_deref(),
        Some("no-store")
    );
    let issued = json_body(issued).await;
    let credentials = Credentials {
        client_id: issued["client_id"].as_str().expect("client_id").to_owned(),
        secret: issued["client_secret"].as_str().expect("secret").to_owned(),
    };
    assert!(credentials.client_id.starts_with("centre_"));
    assert_eq!(credentials.client_id.len(), "centre_".len() + 16);
    assert_eq!(credentials.secret.len(), 43);
    let unknown_centre = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/admin/examination-centres/no-such-centre/clients",
        &administrator.token,
        Some(&json!({})),
    )
    .await;
    assert_eq!(unknown_centre.status(), 404);

    let token = centre_token(&app, &credentials).await;
    assert_eq!(
        get(&app, "/api/v1/centre/exam-sessions", &token)
            .await
            .status(),
        200
    );
    let listed = get(
        &app,
        "/api/v1/admin/examination-centres",
        &administrator.token,
    )
    .await;
    assert_eq!(listed.status(), 200);
    let listed_text = listed.text().await.expect("body");
    assert!(!listed_text.contains(&credentials.secret));
    let listed: Value = serde_json::from_str(&listed_text).expect("json");
    assert_eq!(
        listed[0]["clients"][0]["client_id"],
        credentials.client_id.as_str()
    );
    assert_eq!(listed[0]["clients"][0]["label"], "Bokningssystem");
    assert!(listed[0]["clients"][0]["last_used_at"].is_string());

    let revoked = send(
        &app,
        reqwest::Method::POST,
        &format!(
            "/api/v1/admin/centre-clients/{}/revoke",
            credentials.client_id
        ),
        &administrator.token,
        None,
    )
    .await;
    assert_eq!(revoked.status(), 200);
    assert!(json_body(revoked).await["revoked_at"].is_string());
    let after = get(&app, "/api/v1/centre/exam-sessions", &token).await;
    assert_eq!(after.status(), 401);
    let grant = token_request(&app, "grant_type=client_credentials", Some(&credentials)).await;
    assert_eq!(grant.status(), 401);
}

async fn sessions_are_validated_listed_and_filtered(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Väst").await;

    let invalid = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/centre/exam-sessions",
        &token,
        Some(&json!({"certificate_type": "FTG", "starts_at": "2027-03-15 09:00", "place": " ", "seats": 501})),
    )
    .await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        error_fields(&json_body(invalid).await),
        vec![
            issue(
                "certificate_type",
                "certificate_type_not_examined_by_centre"
            ),
            issue("starts_at", "date_time_invalid"),
            issue("place", "required"),
            issue("seats", "seats_out_of_range"),
        ]
    );
    let unknown_type = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/centre/exam-sessions",
        &token,
        Some(&json!({"certificate_type": "KAT9", "starts_at": "2027-03-15T09:00:00+01:00", "place": "x".repeat(201), "seats": 0})),
    )
    .await;
    assert_eq!(
        error_fields(&json_body(unknown_type).await),
        vec![
            issue("certificate_type", "certificate_type_unknown"),
            issue("place", "text_too_long"),
            issue("seats", "seats_out_of_range"),
        ]
    );
    let far_ahead = send(
        &app,
        reqwest::Method::POST,
        "/api/v1/centre/exam-sessions",
        &token,
        Some(&session_body(Utc::now() + TimeDelta::days(5 * 365), 10)),
    )
    .await;
    assert_eq!(
        error_fields(&json_body(far_ahead).await),
        vec![issue("starts_at", "date_time_out_of_range")]
    );

    for starts_at in [
        "2027-03-15T09:00:00+01:00",
        "2027-03-16T09:00:00+01:00",
        "2027-04-01T23:30:00+02:00",
    ] {
        let body = json!({"certificate_type": "KAT1", "starts_at": starts_at, "place": "Malmö", "seats": 10});
        let response = send(
            &app,
            reqwest::Method::POST,
            "/api/v1/centre/exam-sessions",
            &token,
            Some(&body),
        )
        .await;
        assert_eq!(response.status(), 201);
    }

    let first_page =
        json_body(get(&app, "/api/v1/centre/exam-sessions?per_page=2", &token).await).await;
    assert_eq!(first_page["total"], 3);
    assert_eq!(first_page["items"].as_array().map(Vec::len), Some(2));
    assert_eq!(first_page["items"][0]["starts_at"], "2027-03-15T08:00:00Z");
    assert_eq!(first_page["items"][0]["seats_taken"], 0);
    assert_eq!(
        first_page["items"][0]["certificate_type_name"]["sv"],
        "Personcertifikat Kategori I"
    );
    let second_page = json_body(
        get(
            &app,
            "/api/v1/centre/exam-sessions?per_page=2&page=2",
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(second_page["items"].as_array().map(Vec::len), Some(1));
    // 23:30 on 1 April in Sweden is still that day although it is 21:30 UTC.
    let filtered = json_body(
        get(
            &app,
            "/api/v1/centre/exam-sessions?from=2027-03-16&to=2027-04-01",
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(filtered["total"], 2);
    let bad_query = get(
        &app,
        "/api/v1/centre/exam-sessions?page=0&per_page=101&from=16-03-2027&to=2027-01-01",
        &token,
    )
    .await;
    assert_eq!(bad_query.status(), 422);
    assert_eq!(
        error_fields(&json_body(bad_query).await),
        vec![
            issue("page", "number_invalid"),
            issue("per_page", "per_page_out_of_range"),
            issue("from", "date_invalid"),
        ]
    );
}

async fn enrolment_by_personnummer_and_by_email(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Mitt").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 10).await;
    let with_number = insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;
    let without_number = insert_person(&app, "kim.utan@example.se", None).await;

    let first = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        Some("enrol-1"),
    )
    .await;
    assert_eq!(first.status(), 201);
    assert_eq!(header(&first, "idempotency-replayed"), None);
    let first_text = first.text().await.expect("body");
    assert!(!first_text.contains("2385"), "{first_text}");
    let enrolment: Value = serde_json::from_str(&first_text).expect("json");
    assert_eq!(enrolment["candidate_name"], "Kim Kandidat");
    assert_eq!(enrolment["personnummer_masked"], "19900101-****");
    assert_eq!(enrolment["exam_session_id"], session.as_str());
    assert_eq!(enrolment["application_state"], "awaiting_exam");
    assert_eq!(
        applications_of(&app, with_number).await,
        vec![("awaiting_exam".to_owned(), "centre".to_owned())]
    );

    let replay = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        Some("enrol-1"),
    )
    .await;
    assert_eq!(replay.status(), 201);
    assert_eq!(
        header(&replay, "idempotency-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(replay.text().await.expect("body"), first_text);
    assert_eq!(enrolment_count(&app).await, 1);
    let reused = enrol(
        &app,
        &token,
        &session,
        &json!({"email": "kim.utan@example.se", "birth_date": "1985-05-05"}),
        Some("enrol-1"),
    )
    .await;
    assert_eq!(reused.status(), 422);
    assert_eq!(json_body(reused).await["code"], "idempotency_key_reused");

    let by_email = enrol(
        &app,
        &token,
        &session,
        &json!({"email": "Kim.Utan@example.se", "birth_date": "1985-05-05"}),
        None,
    )
    .await;
    assert_eq!(by_email.status(), 201);
    assert_eq!(
        json_body(by_email).await["personnummer_masked"],
        Value::Null
    );
    assert_eq!(
        applications_of(&app, without_number).await,
        vec![("awaiting_exam".to_owned(), "centre".to_owned())]
    );

    let again = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        Some("enrol-2"),
    )
    .await;
    assert_eq!(again.status(), 409);
    assert_eq!(json_body(again).await["code"], "already_enrolled");

    let details = json_body(
        get(
            &app,
            &format!("/api/v1/centre/exam-sessions/{session}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(details["session"]["seats_taken"], 2);
    assert_eq!(details["enrolments"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        details["enrolments"][0]["personnummer_masked"],
        "19900101-****"
    );
    let listed = json_body(
        get(
            &app,
            &format!("/api/v1/centre/exam-sessions/{session}/enrolments"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2));
}

async fn enrolment_needs_matching_account(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Kust").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 10).await;
    insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;
    insert_person(&app, "kim.utan@example.se", None).await;

    let without_account = [
        json!({"personnummer": UNREGISTERED_PERSONNUMMER}),
        json!({"email": "nobody@example.se", "birth_date": "1985-05-05"}),
        json!({"email": "kim.utan@example.se", "birth_date": "1985-05-06"}),
        // An account with a personnummer is only found by it.
        json!({"email": "kim.nummer@example.se", "birth_date": "1990-01-01"}),
    ];
    for body in without_account {
        let response = enrol(&app, &token, &session, &body, None).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(
            json_body(response).await["code"],
            "candidate_without_account",
            "{body}"
        );
    }

    let invalid = [
        (json!({}), vec![issue("personnummer", "required")]),
        (
            json!({"personnummer": "19900101-2386"}),
            vec![issue("personnummer", "personnummer_invalid_checksum")],
        ),
        (
            json!({"personnummer": PERSONNUMMER, "email": "kim.nummer@example.se"}),
            vec![issue("email", "not_allowed_with_personnummer")],
        ),
        (
            json!({"email": "kim.utan@example.se"}),
            vec![issue("birth_date", "required")],
        ),
        (
            json!({"email": "kim.utan", "birth_date": "05/05/1985"}),
            vec![
                issue("email", "email_missing_at"),
                issue("birth_date", "birth_date_invalid"),
            ],
        ),
    ];
    for (body, expected) in invalid {
        let response = enrol(&app, &token, &session, &body, None).await;
        assert_eq!(response.status(), 422, "{body}");
        assert_eq!(error_fields(&json_body(response).await), expected, "{body}");
    }
    let bad_key = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        Some("bad key"),
    )
    .await;
    assert_eq!(bad_key.status(), 422);
    assert_eq!(
        error_fields(&json_body(bad_key).await),
        vec![issue("Idempotency-Key", "idempotency_key_invalid")]
    );
    assert_eq!(enrolment_count(&app).await, 0);
}

async fn full_session_rejects_enrolment(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Fjäll").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 1).await;
    let first_account = insert_person(&app, "first@example.se", Some(PERSONNUMMER)).await;
    let second_account = insert_person(&app, "second@example.se", Some(OTHER_PERSONNUMMER)).await;
    insert_person(&app, "third@example.se", None).await;

    let first = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        None,
    )
    .await;
    let second = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": OTHER_PERSONNUMMER}),
        None,
    )
    .await;

    assert_eq!(first.status(), 201);
    assert_eq!(second.status(), 409);
    assert_eq!(json_body(second).await["code"], "exam_session_full");

    // A candidate who withdraws the application gives the seat back.
    set_application_state(&app, first_account, "withdrawn").await;
    let after_withdrawal = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": OTHER_PERSONNUMMER}),
        None,
    )
    .await;
    assert_eq!(after_withdrawal.status(), 201);

    // A session of a retired certificate type accepts no enrolment, even with a free seat.
    set_application_state(&app, second_account, "withdrawn").await;
    retire_certificate_type(&app, "KAT1").await;
    let retired = enrol(
        &app,
        &token,
        &session,
        &json!({"email": "third@example.se", "birth_date": "1985-05-05"}),
        None,
    )
    .await;
    assert_eq!(retired.status(), 409);
    assert_eq!(json_body(retired).await["code"], "exam_session_closed");
}

/// Sets the state of every application of an account, as a withdrawal or a decision would.
async fn set_application_state(app: &TestApp, account_id: i64, state: &'static str) {
    use diesel::prelude::*;

    app.database()
        .run(move |connection| {
            Ok::<_, StorageError>(
                diesel::update(applications::table.filter(applications::account_id.eq(account_id)))
                    .set(applications::state.eq(state))
                    .execute(connection)?,
            )
        })
        .await
        .expect("applications updated");
}

async fn retire_certificate_type(app: &TestApp, code: &'static str) {
    use diesel::prelude::*;
    use incert_api::storage::schema::certificate_types;

    app.database()
        .run(move |connection| {
            Ok::<_, StorageError>(
                diesel::update(certificate_types::table.filter(certificate_types::code.eq(code)))
                    .set(certificate_types::retired_at.eq(Some(Utc::now().naive_utc())))
                    .execute(connection)?,
            )
        })
        .await
        .expect("type retired");
}

async fn parallel_enrolments_respect_seats(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Ö").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 3).await;
    let emails: Vec<String> = (0..8)
        .map(|index| format!("kandidat{index}@example.se"))
        .collect();
    for email in &emails {
        insert_person(&app, email, None).await;
    }

    let requests = emails.iter().map(|email| {
        let body = json!({"email": email, "birth_date": "1985-05-05"});
        let (app, token, session) = (&app, &token, &session);
        async move {
            enrol(app, token, session, &body, None)
                .await
                .status()
                .as_u16()
        }
    });
    let mut statuses = futures_util::future::join_all(requests).await;
    statuses.sort_unstable();

    assert_eq!(statuses, vec![201, 201, 201, 409, 409, 409, 409, 409]);
    assert_eq!(enrolment_count(&app).await, 3);
}

async fn parallel_retries_enrol_once(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Å").await;
    let session = create_session(&app, &token, Utc::now() + TimeDelta::days(7), 10).await;
    insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;

    let requests = (0..6).map(|_| {
        let (app, token, session) = (&app, &token, &session);
        async move {
            let response = enrol(
                app,
                token,
                session,
                &json!({"personnummer": PERSONNUMMER}),
                Some("retry-1"),
            )
            .await;
            (
                response.status().as_u16(),
                response.text().await.expect("body"),
            )
        }
    });
    let answers = futures_util::future::join_all(requests).await;

    assert_eq!(enrolment_count(&app).await, 1);
    let first_body = &answers[0].1;
    for (status, body) in &answers {
        assert_eq!(*status, 201, "{body}");
        assert_eq!(body, first_body);
    }
}

async fn centres_see_only_their_own(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let owner = new_centre(&app, "Provcenter Ägare").await;
    let other = new_centre(&app, "Provcenter Annan").await;
    let session = create_session(&app, &owner, Utc::now(), 10).await;
    insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;
    let enrolled = enrol(
        &app,
        &owner,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        None,
    )
    .await;
    let enrolment = json_body(enrolled).await["id"]
        .as_str()
        .expect("id")
        .to_owned();

    let listed = json_body(get(&app, "/api/v1/centre/exam-sessions", &other).await).await;
    let details = get(
        &app,
        &format!("/api/v1/centre/exam-sessions/{session}"),
        &other,
    )
    .await;
    let enrolments = get(
        &app,
        &format!("/api/v1/centre/exam-sessions/{session}/enrolments"),
        &other,
    )
    .await;
    let enrol_elsewhere = enrol(
        &app,
        &other,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        None,
    )
    .await;
    let report = send(
        &app,
        reqwest::Method::PUT,
        &format!("/api/v1/centre/enrolments/{enrolment}/result"),
        &other,
        Some(&json!({"parts": []})),
    )
    .await;

    assert_eq!(listed["total"], 0);
    for response in [details, enrolments, enrol_elsewhere, report] {
        assert_eq!(response.status(), 404);
        assert_eq!(json_body(response).await["code"], "not_found");
    }
}

fn part(name: &str, outcome: &str, score: Option<u32>, taken_on: &str) -> Value {
    json!({
        "part": name,
        "outcome": outcome,
        "score": score,
        "max_score": score.map(|_| 40),
        "taken_on": taken_on,
        "examiner": "Eva Exempel",
        "deviation": null,
    })
}

async fn results_move_application_to_review(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Resultat").await;
    let session = create_session(&app, &token, Utc::now() - TimeDelta::hours(1), 10).await;
    let account = insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;
    let enrolled = enrol(
        &app,
        &token,
        &session,
        &json!({"personnummer": PERSONNUMMER}),
        None,
    )
    .await;
    let enrolment = json_body(enrolled).await["id"]
        .as_str()
        .expect("id")
        .to_owned();
    let path = format!("/api/v1/centre/enrolments/{enrolment}/result");
    let today = incert_api::service::today_in_sweden(app.state.clock.now()).to_string();
    let tomorrow = (incert_api::service::today_in_sweden(app.state.clock.now())
        + TimeDelta::days(1))
    .to_string();

    let invalid = send(
        &app,
        reqwest::Method::PUT,
        &path,
        &token,
        Some(&json!({"parts": [
            {"part": "theory", "outcome": "passed", "score": 41, "max_score": 40, "taken_on": tomorrow, "examiner": " ", "deviation": null},
            {"part": "practical", "outcome": "passed", "score": 3, "max_score": null, "taken_on": "2000-01-01", "examiner": "Eva", "deviation": "absent"},
            {"part": "theory", "outcome": "failed", "score": null, "max_score": null, "taken_on": today, "examiner": "Eva", "deviation": null},
            {"part": "course_attestation", "outcome": "passed", "score": null, "max_score": null, "taken_on": today, "examiner": "Eva", "deviation": null},
        ]})),
    )
    .await;
    assert_eq!(invalid.status(), 422);
    assert_eq!(
        error_fields(&json_body(invalid).await),
        vec![
            issue("parts[0].score", "score_above_max_score"),
            issue("parts[0].taken_on", "taken_on_in_future"),
            issue("parts[0].examiner", "required"),
            issue("parts[1].outcome", "absent_requires_failed"),
            issue("parts[1].score", "absent_without_score"),
            issue("parts[1].max_score", "required"),
            issue("parts[1].taken_on", "taken_on_before_session"),
            issue("parts[2].part", "exam_part_duplicate"),
            issue("parts[3].part", "exam_part_not_examined_by_centre"),
        ]
    );

    let theory = send(
        &app,
        reqwest::Method::PUT,
        &path,
        &token,
        Some(&json!({"parts": [part("theory", "passed", Some(34), &today)]})),
    )
    .await;
    assert_eq!(theory.status(), 200);
    let theory = json_body(theory).await;
    assert_eq!(theory["application_state"], "awaiting_exam");
    assert_eq!(theory["parts"][0]["score"], 34);

    let practical = send(
        &app,
        reqwest::Method::PUT,
        &path,
        &token,
        Some(&json!({"parts": [part("practical", "passed", None, &today)]})),
    )
    .await;
    assert_eq!(practical.status(), 200);
    let practical = json_body(practical).await;
    assert_eq!(practical["application_state"], "in_review");
    assert_eq!(practical["parts"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        applications_of(&app, account).await,
        vec![("in_review".to_owned(), "centre".to_owned())]
    );

    let corrected = send(
        &app,
        reqwest::Method::PUT,
        &path,
        &token,
        Some(&json!({"parts": [part("theory", "failed", Some(20), &today)]})),
    )
    .await;
    assert_eq!(corrected.status(), 200);
    let corrected = json_body(corrected).await;
    assert_eq!(corrected["application_state"], "in_review");
    assert_eq!(corrected["parts"][1]["outcome"], "failed");
    let details = json_body(
        get(
            &app,
            &format!("/api/v1/centre/exam-sessions/{session}"),
            &token,
        )
        .await,
    )
    .await;
    assert_eq!(
        details["enrolments"][0]["results"].as_array().map(Vec::len),
        Some(2)
    );
}

async fn enrolment_joins_open_application(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let token = new_centre(&app, "Provcenter Ansökan").await;
    let first = create_session(&app, &token, Utc::now() - TimeDelta::hours(1), 10).await;
    let second = create_session(&app, &token, Utc::now() + TimeDelta::days(14), 10).await;
    let account = insert_person(&app, "kim.nummer@example.se", Some(PERSONNUMMER)).await;
    let candidate = json!({"personnummer": PERSONNUMMER});

    let enrolled = enrol(&app, &token, &first, &candidate, None).await;
    let enrolled = json_body(enrolled).await;
    let application = enrolled["application_id"].clone();
    // One exam at a time: a second session waits for the first one's results.
    let waiting = enrol(&app, &token, &second, &candidate, None).await;
    assert_eq!(waiting.status(), 409);
    assert_eq!(json_body(waiting).await["code"], "enrolled_elsewhere");
    let today = incert_api::service::today_in_sweden(app.state.clock.now()).to_string();
    let reported = send(
        &app,
        reqwest::Method::PUT,
        &format!(
            "/api/v1/centre/enrolments/{}/result",
            enrolled["id"].as_str().expect("id")
        ),
        &token,
        Some(&json!({"parts": [part("theory", "failed", Some(12), &today)]})),
    )
    .await;
    assert_eq!(reported.status(), 200);
    let resit = enrol(&app, &token, &second, &candidate, None).await;

    assert_eq!(resit.status(), 201);
    assert_eq!(json_body(resit).await["application_id"], application);
    assert_eq!(applications_of(&app, account).await.len(), 1);
}

async fn revoked_client_token_stops_working(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let credentials = centre_credentials(&app, "Provcenter Återkallad").await;
    let token = centre_token(&app, &credentials).await;
    assert_eq!(
        get(&app, "/api/v1/centre/exam-sessions", &token)
            .await
            .status(),
        200
    );

    clients::revoke_client(
        app.database(),
        credentials.client_id.clone(),
        Actor::default(),
        app.state.clock.naive_now(),
    )
    .await
    .expect("revoked");

    let after = get(&app, "/api/v1/centre/exam-sessions", &token).await;
    assert_eq!(after.status(), 401);
    assert_eq!(json_body(after).await["code"], "authentication_required");
    let grant = token_request(&app, "grant_type=client_credentials", Some(&credentials)).await;
    assert_eq!(grant.status(), 401);
}

on_both_backends!(
    token_grant_checks_client_and_grant,
    failed_grants_are_throttled_per_address,
    token_rejects_bad_bodies,
    token_kinds_stay_apart,
    registered_person_is_enrolled,
    administrator_manages_centres_and_credentials,
    sessions_are_validated_listed_and_filtered,
    enrolment_by_personnummer_and_by_email,
    enrolment_needs_matching_account,
    full_session_rejects_enrolment,
    parallel_enrolments_respect_seats,
    parallel_retries_enrol_once,
    centres_see_only_their_own,
    results_move_application_to_review,
    enrolment_joins_open_application,
    revoked_client_token_stops_working,
);
