//! The catalogue, applications, certificates, attestations, reminders and staff decisions.

use chrono::{Datelike, Months, NaiveDate, TimeDelta};
use serde_json::{Value, json};

use crate::helpers::{Backend, TestApp, header, json_body};
use crate::mailbox::{messages_to, shared_inbox, wait_for_messages};
use crate::on_both_backends;
use crate::people::{SignedIn, give_personnummer, login_again, signed_in_person, signed_in_staff};

/// A type without centre exams, so staff can approve it without results.
const DOCUMENT_TYPE: &str = "TEST-DOC";

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let mut request = app.client.request(method, app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    request.send().await.expect("request")
}

async fn get(app: &TestApp, path: &str, token: &str) -> reqwest::Response {
    send(app, reqwest::Method::GET, path, token, None).await
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    send(app, reqwest::Method::POST, path, token, Some(body)).await
}

/// Asserts a problem response's status and code and returns its body.
async fn problem(response: reqwest::Response, status: u16, code: &str) -> Value {
    assert_eq!(response.status(), status);
    let body = json_body(response).await;
    assert_eq!(body["code"], code, "{body}");
    body
}

fn today(app: &TestApp) -> NaiveDate {
    app.state
        .clock
        .now()
        .with_timezone(&chrono_tz::Europe::Stockholm)
        .date_naive()
}

fn date(value: &Value) -> NaiveDate {
    value
        .as_str()
        .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .unwrap_or_else(|| panic!("not a date: {value}"))
}

/// Adds a type with annual renewal whose only part is a document review.
async fn add_document_type(app: &TestApp, administrator: &SignedIn) {
    let created = post(
        app,
        "/api/v1/admin/certificate-types",
        &administrator.token,
        json!({
            "code": DOCUMENT_TYPE,
            "technical_area": "refrigerants",
            "name_sv": "Testcertifikat",
            "name_en": "Test certificate",
            "holder_kind": "person",
            "exam_parts": ["document_review"],
            "validity_years": 5,
            "annual_renewal": true,
            "price_sek": 1200,
        }),
    )
    .await;
    assert_eq!(created.status(), 201);
}

/// Files an application and returns its id.
async fn apply(app: &TestApp, person: &SignedIn, certificate_type: &str) -> String {
    let response = post(
        app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": certificate_type}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let application = json_body(response).await;
    assert_eq!(application["state"], "received");
    application["id"].as_str().expect("id").to_owned()
}

/// Files a recertification of the certificate `number` and returns the application id.
async fn apply_renewal(app: &TestApp, person: &SignedIn, number: &str) -> String {
    let response = post(
        app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": DOCUMENT_TYPE, "renews_certificate": number}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let application = json_body(response).await;
    assert_eq!(application["kind"], "recertification");
    application["id"].as_str().expect("id").to_owned()
}

/// Approves an application and returns the issued certificate.
async fn approve(app: &TestApp, officer: &SignedIn, application: &str) -> Value {
    let response = post(
        app,
        &format!("/api/v1/admin/applications/{application}/approve"),
        &officer.token,
        json!({}),
    )
    .await;
    assert_eq!(response.status(), 201);
    json_body(response).await
}

async fn catalogue_and_price_list(backend: Backend) {
    let app = TestApp::spawn(backend).await;

    let areas = json_body(app.get("/api/v1/technical-areas").await).await;
    let codes: Vec<&str> = areas
        .as_array()
        .expect("areas")
        .iter()
        .flat_map(|area| area["certificate_types"].as_array().expect("types"))
        .filter_map(|certificate_type| certificate_type["code"].as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "KAT1", "KAT2", "KAT3", "KAT4", "KAT5", "UTB-MAC", "SF6", "FTG"
        ]
    );
    let kat1 = &areas[0]["certificate_types"][0];
    assert_eq!(areas[0]["name"]["sv"], "Köldmedier");
    assert_eq!(kat1["name"]["sv"], "Personcertifikat Kategori I");
    assert_eq!(kat1["exam_parts"], json!(["theory", "practical"]));
    assert_eq!(kat1["validity_years"], 5);
    assert_eq!(kat1["annual_renewal"], true);
    assert_eq!(kat1["price"], json!({"amount_sek": 1900, "demo": true}));
    let utb_mac = &areas[1]["certificate_types"][1];
    assert_eq!(utb_mac["code"], "UTB-MAC");
    assert_eq!(utb_mac["annual_renewal"], false);

    let prices = json_body(app.get("/api/v1/price-list").await).await;
    assert_eq!(prices["currency"], "SEK");
    assert_eq!(prices["vat_percent"], 25);
    let fees: Vec<(String, u64, bool)> = prices["fees"]
        .as_array()
        .expect("fees")
        .iter()
        .map(|fee| {
            (
                fee["code"].as_str().expect("code").to_owned(),
                fee["price"]["amount_sek"].as_u64().expect("amount"),
                fee["price"]["demo"].as_bool().expect("demo"),
            )
        })
        .collect();
    assert_eq!(
        fees,
        [
            ("application".to_owned(), 1900, true),
            ("annual_renewal".to_owned(), 450, true),
            ("recertification".to_owned(), 1400, true),
            ("duplicate".to_owned(), 250, true),
        ]
    );

    let configured = TestApp::spawn_with(backend, |settings| {
        settings.fee_annual_renewal_sek = Some(500);
    })
    .await;
    let prices = json_body(configured.get("/api/v1/price-list").await).await;
    assert_eq!(
        prices["fees"][1]["price"],
        json!({"amount_sek": 500, "demo": false})
    );
    assert_eq!(prices["fees"][0]["price"]["demo"], true);
}

async fn application_rules(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let person = signed_in_person(&app, "applicant").await;

    let id = apply(&app, &person, "KAT2").await;
    let again = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": "KAT2"}),
    )
    .await;
    problem(again, 409, "application_already_open").await;
    for (certificate_type, code) in [
        ("NOPE", "certificate_type_unknown"),
        ("FTG", "certificate_type_for_companies"),
        ("", "required"),
    ] {
        let refused = post(
            &app,
            "/api/v1/me/applications",
            &person.token,
            json!({"certificate_type": certificate_type}),
        )
        .await;
        let body = problem(refused, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], "certificate_type");
        assert_eq!(body["errors"][0]["code"], code);
    }
    let renews_nothing = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": "KAT3", "renews_certificate": "INC-2020-000001"}),
    )
    .await;
    let body = problem(renews_nothing, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "renews_certificate");
    assert_eq!(body["errors"][0]["code"], "certificate_not_found");

    let listed = json_body(get(&app, "/api/v1/me/applications", &person.token).await).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1));
    assert_eq!(listed[0]["id"], id.as_str());
    assert_eq!(
        listed[0]["certificate_type_name"]["en"],
        "Person certificate Category II"
    );
    assert_eq!(listed[0]["source"], "person");

    // Another person cannot withdraw it; its owner can, once.
    let stranger = signed_in_person(&app, "stranger").await;
    let path = format!("/api/v1/me/applications/{id}/withdraw");
    problem(
        post(&app, &path, &stranger.token, json!({})).await,
        404,
        "not_found",
    )
    .await;
    let withdrawn = json_body(post(&app, &path, &person.token, json!({})).await).await;
    assert_eq!(withdrawn["state"], "withdrawn");
    problem(
        post(&app, &path, &person.token, json!({})).await,
        409,
        "application_transition_not_allowed",
    )
    .await;
    // A withdrawn application no longer blocks a new one.
    apply(&app, &person, "KAT2").await;

    // A person is not staff.
    problem(
        get(&app, "/api/v1/admin/applications", &person.token).await,
        403,
        "forbidden",
    )
    .await;
}

async fn approval_issues_certificate(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let officer = signed_in_staff(&app, "case_officer").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "holder").await;
    let application = apply(&app, &person, DOCUMENT_TYPE).await;
    let exam_application = apply(&app, &person, "KAT1").await;

    // The queue, filtered by state, type and applicant.
    let queue = json_body(
        get(
            &app,
            &format!(
                "/api/v1/admin/applications?state=received&certificate_type={DOCUMENT_TYPE}&q={}",
                &person.email[..10]
            ),
            &officer.token,
        )
        .await,
    )
    .await;
    assert_eq!(queue["total"], 1, "{queue}");
    assert_eq!(queue["items"][0]["application"]["id"], application.as_str());
    assert_eq!(
        queue["items"][0]["applicant"]["email"],
        person.email.as_str()
    );
    assert_eq!(queue["items"][0]["applicant"]["birth_date"], "1980-01-01");
    let bad_query = get(
        &app,
        "/api/v1/admin/applications?state=sleeping",
        &officer.token,
    )
    .await;
    let body = problem(bad_query, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "state", "{body}");
    for (query, field) in [("page=0", "page"), ("per_page=500", "per_page")] {
        let out_of_range = get(
            &app,
            &format!("/api/v1/admin/applications?{query}"),
            &officer.token,
        )
        .await;
        let body = problem(out_of_range, 422, "validation_failed").await;
        assert_eq!(body["errors"][0]["field"], field, "{body}");
    }
    let null_in_query = get(&app, "/api/v1/admin/applications?q=a%00b", &officer.token).await;
    let body = problem(null_in_query, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "q", "{body}");
    assert_eq!(body["errors"][0]["code"], "null_character", "{body}");
    let null_in_path = get(&app, "/api/v1/admin/applications/a%00b", &officer.token).await;
    problem(null_in_path, 404, "not_found").await;
    let null_in_body = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": "KAT1\u{0}"}),
    )
    .await;
    let body = problem(null_in_body, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "certificate_type", "{body}");
    assert_eq!(body["errors"][0]["code"], "null_character", "{body}");

    // A type with exams needs passed results first.
    let refused = post(
        &app,
        &format!("/api/v1/admin/applications/{exam_application}/approve"),
        &officer.token,
        json!({}),
    )
    .await;
    problem(refused, 409, "exam_not_passed").await;

    let certificate = approve(&app, &officer, &application).await;
    let issued_on = today(&app);
    let number = certificate["number"].as_str().expect("number").to_owned();
    assert_eq!(number, format!("INC-{}-000001", issued_on.year()));
    assert_eq!(date(&certificate["issued_on"]), issued_on);
    let five_years = issued_on.checked_add_months(Months::new(60)).expect("date");
    let one_year = issued_on.checked_add_months(Months::new(12)).expect("date");
    assert_eq!(date(&certificate["valid_until"]), five_years);
    assert_eq!(date(&certificate["recertification_due"]), five_years);
    assert_eq!(date(&certificate["annual_renewal_due"]), one_year);
    assert_eq!(certificate["status"], "valid");
    problem(
        post(
            &app,
            &format!("/api/v1/admin/applications/{application}/approve"),
            &officer.token,
            json!({}),
        )
        .await,
        409,
        "application_transition_not_allowed",
    )
    .await;

    // Min Sida: the seed's columns, search and grouping.
    let list = json_body(get(&app, "/api/v1/me/certificates", &person.token).await).await;
    assert_eq!(list["total"], 1);
    let row = &list["groups"][0]["certificates"][0];
    assert_eq!(
        row,
        &json!({
            "number": number,
            "certificate": "Testcertifikat",
            "status": "valid",
            "annual_renewal": one_year.to_string(),
            "recertification": five_years.to_string(),
            "replaced_by_certificate": null,
            "replaced_on": null,
        })
    );
    let english = app
        .client
        .get(app.url("/api/v1/me/certificates?group_by=technical_area&q=test"))
        .bearer_auth(&person.token)
        .header("accept-language", "en")
        .send()
        .await
        .expect("request");
    let english = json_body(english).await;
    assert_eq!(english["groups"][0]["key"], "refrigerants");
    assert_eq!(english["groups"][0]["title"], "Refrigerants (F-gas)");
    assert_eq!(
        english["groups"][0]["certificates"][0]["certificate"],
        "Test certificate"
    );
    let by_status = json_body(
        get(
            &app,
            "/api/v1/me/certificates?group_by=status&q=giltig",
            &person.token,
        )
        .await,
    )
    .await;
    assert_eq!(by_status["groups"][0]["key"], "valid");
    assert_eq!(by_status["total"], 1);
    let no_match =
        json_body(get(&app, "/api/v1/me/certificates?q=KAT5", &person.token).await).await;
    assert_eq!(no_match["total"], 0);
    problem(
        get(
            &app,
            "/api/v1/me/certificates?group_by=colour",
            &person.token,
        )
        .await,
        422,
        "validation_failed",
    )
    .await;
    let applications = json_body(get(&app, "/api/v1/me/applications", &person.token).await).await;
    let decided = applications
        .as_array()
        .expect("applications")
        .iter()
        .find(|entry| entry["id"] == application.as_str())
        .expect("application listed");
    assert_eq!(decided["state"], "approved");
    assert_eq!(decided["certificate_number"], number.as_str());

    // The PDF, for its holder only.
    let pdf = get(
        &app,
        &format!("/api/v1/me/certificates/{number}/pdf"),
        &person.token,
    )
    .await;
    assert_eq!(pdf.status(), 200);
    assert_eq!(
        header(&pdf, "content-type").as_deref(),
        Some("application/pdf")
    );
    let bytes = pdf.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    assert!(
        bytes
            .windows(number.len())
            .any(|window| window == number.as_bytes())
    );
    let stranger = signed_in_person(&app, "stranger").await;
    problem(
        get(
            &app,
            &format!("/api/v1/me/certificates/{number}/pdf"),
            &stranger.token,
        )
        .await,
        404,
        "not_found",
    )
    .await;
    let stranger_list =
        json_body(get(&app, "/api/v1/me/certificates", &stranger.token).await).await;
    assert_eq!(stranger_list["total"], 0);

    // The public check shows no personal numbers or birth date.
    let public = app
        .get(&format!("/api/v1/public/certificates/{number}"))
        .await;
    assert_eq!(public.status(), 200);
    let public = json_body(public).await;
    let mut keys: Vec<&str> = public
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        [
            "certificate_type",
            "certificate_type_name",
            "holder_name",
            "number",
            "replaced_by_certificate",
            "replaced_on",
            "status",
            "valid_until"
        ]
    );
    assert_eq!(public["holder_name"], "Test Person");
    assert!(!public.to_string().contains("1980"), "{public}");
    problem(
        app.get("/api/v1/public/certificates/INC-1999-000001").await,
        404,
        "not_found",
    )
    .await;

    // The holder receives an email.
    let mails = wait_for_messages(&shared_inbox(), &person.email, &number, 1).await;
    assert!(
        mails[0].text().contains("är godkänd"),
        "{}",
        mails[0].text()
    );
}

/// Returns the caller's Min Sida row of the certificate `number`.
async fn own_row(app: &TestApp, token: &str, number: &str) -> Value {
    let list = json_body(get(app, "/api/v1/me/certificates", token).await).await;
    list["groups"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|group| {
            group["certificates"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .find(|row| row["number"] == number)
        .unwrap_or_else(|| panic!("no row for {number} in {list}"))
}

async fn rejection_and_withdrawal(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "rejected").await;
    let application = apply(&app, &person, DOCUMENT_TYPE).await;
    let path = format!("/api/v1/admin/applications/{application}/reject");

    let missing = post(&app, &path, &administrator.token, json!({})).await;
    let body = problem(missing, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "reason");
    let rejected = post(
        &app,
        &path,
        &administrator.token,
        json!({"reason": "Intyget saknas."}),
    )
    .await;
    assert_eq!(rejected.status(), 200);
    let rejected = json_body(rejected).await;
    assert_eq!(rejected["application"]["state"], "rejected");
    let mine = json_body(get(&app, "/api/v1/me/applications", &person.token).await).await;
    assert_eq!(mine[0]["state"], "rejected");
    assert_eq!(mine[0]["decision_reason"], "Intyget saknas.");
    wait_for_messages(&shared_inbox(), &person.email, "Intyget saknas.", 1).await;

    // Withdrawal of an issued certificate.
    let second = apply(&app, &person, DOCUMENT_TYPE).await;
    let certificate = approve(&app, &administrator, &second).await;
    let number = certificate["number"].as_str().expect("number");
    let withdraw = format!("/api/v1/admin/certificates/{number}/withdraw");
    assert!(own_row(&app, &person.token, number).await["annual_renewal"].is_string());
    let withdrawn = post(
        &app,
        &withdraw,
        &administrator.token,
        json!({"reason": "Felaktiga uppgifter."}),
    )
    .await;
    assert_eq!(withdrawn.status(), 200);
    assert_eq!(json_body(withdrawn).await["status"], "withdrawn");
    // A withdrawn certificate takes no attestations, so it has no renewal date to show.
    let row = own_row(&app, &person.token, number).await;
    assert_eq!(row["status"], "withdrawn");
    assert_eq!(row["annual_renewal"], Value::Null);
    problem(
        post(
            &app,
            &withdraw,
            &administrator.token,
            json!({"reason": "Igen."}),
        )
        .await,
        409,
        "certificate_withdrawn",
    )
    .await;
    let public = json_body(
        app.get(&format!("/api/v1/public/certificates/{number}"))
            .await,
    )
    .await;
    assert_eq!(public["status"], "withdrawn");
    wait_for_messages(&shared_inbox(), &person.email, "Felaktiga uppgifter.", 1).await;
    problem(
        post(&app, &withdraw, &person.token, json!({"reason": "x"})).await,
        403,
        "forbidden",
    )
    .await;
}

async fn status_follows_clock_and_attestations(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "attested").await;
    let application = apply(&app, &person, DOCUMENT_TYPE).await;
    let certificate = approve(&app, &administrator, &application).await;
    let number = certificate["number"].as_str().expect("number").to_owned();
    let renewal_due = date(&certificate["annual_renewal_due"]);
    let attest_path = format!("/api/v1/certificates/{number}/attestations");
    let public_path = format!("/api/v1/public/certificates/{number}");

    // The holder may not attest their own certificate, and a stranger may not either.
    problem(
        post(&app, &attest_path, &person.token, json!({})).await,
        422,
        "self_attestation_not_allowed",
    )
    .await;
    let employer_admin = signed_in_person(&app, "employer").await;
    problem(
        post(&app, &attest_path, &employer_admin.token, json!({})).await,
        403,
        "forbidden",
    )
    .await;
    let too_early = post(&app, &attest_path, &administrator.token, json!({})).await;
    let body = problem(too_early, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "attestation_too_early");

    // One day after the renewal date the certificate needs renewal.
    let days = (renewal_due - today(&app)).num_days() + 1;
    app.state.clock.advance(TimeDelta::days(days));
    assert_eq!(public_status(&app, &public_path).await, "renewal_required");
    // A year later every access token has expired.
    let person = SignedIn {
        token: login_again(&app, &person.email).await,
        ..person
    };
    let administrator = SignedIn {
        token: login_again(&app, &administrator.email).await,
        ..administrator
    };
    let employer_admin = SignedIn {
        token: login_again(&app, &employer_admin.email).await,
        ..employer_admin
    };

    // The employer's certificate administrator attests: the holder's billing organisation.
    let billing = app
        .client
        .put(app.url("/api/v1/me/billing"))
        .bearer_auth(&person.token)
        .json(&json!({
            "invoice_by_email": false,
            "address": {
                "organisation_name": "Kyl AB",
                "organisation_number": "556036-0793",
                "street": "Storgatan 1",
                "postal_code": "111 22",
                "city": "Stockholm",
                "country": "SE",
            },
        }))
        .send()
        .await
        .expect("request");
    assert_eq!(
        billing.status(),
        200,
        "{}",
        billing.text().await.unwrap_or_default()
    );
    let added = post(
        &app,
        "/api/v1/admin/certificate-administrators",
        &administrator.token,
        json!({"account_id": employer_admin.id, "organisation_number": "5560360793"}),
    )
    .await;
    assert_eq!(added.status(), 204);
    let attested = post(&app, &attest_path, &employer_admin.token, json!({})).await;
    assert_eq!(attested.status(), 201);
    let attested = json_body(attested).await;
    assert_eq!(date(&attested["previous_due"]), renewal_due);
    let next_due = renewal_due
        .checked_add_months(Months::new(12))
        .expect("date");
    assert_eq!(date(&attested["next_due"]), next_due);
    assert_eq!(attested["status"], "valid");
    assert_eq!(public_status(&app, &public_path).await, "valid");

    // After the validity ends the certificate is expired, attested or not.
    let valid_until = date(&certificate["valid_until"]);
    let days = (valid_until - today(&app)).num_days() + 1;
    app.state.clock.advance(TimeDelta::days(days));
    assert_eq!(public_status(&app, &public_path).await, "expired");
    let administrator = SignedIn {
        token: login_again(&app, &administrator.email).await,
        ..administrator
    };
    let late = post(&app, &attest_path, &administrator.token, json!({})).await;
    let body = problem(late, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "attestation_after_expiry");
}

async fn public_status(app: &TestApp, path: &str) -> Value {
    json_body(app.get(path).await).await["status"].clone()
}

async fn reminders_sent_once(backend: Backend) {
    let app = TestApp::spawn_with_mail_and(backend, |settings| {
        settings.reminder_interval_seconds = 1;
        settings.reminder_lead_days = 30;
    })
    .await;
    let administrator = signed_in_staff(&app, "administrator").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "reminded").await;
    let application = apply(&app, &person, DOCUMENT_TYPE).await;
    let certificate = approve(&app, &administrator, &application).await;
    let number = certificate["number"].as_str().expect("number").to_owned();
    let renewal_due = date(&certificate["annual_renewal_due"]);

    // Twenty days before the renewal date is within the 30-day lead.
    let days = (renewal_due - today(&app)).num_days() - 20;
    app.state.clock.advance(TimeDelta::days(days));
    let marker = format!("intyg om yrkesaktivitet registreras för ditt certifikat {number}");
    wait_for_messages(&shared_inbox(), &person.email, &marker, 1).await;

    // Later runs send nothing more for the same date.
    tokio::time::sleep(std::time::Duration::from_millis(2_500)).await;
    let reminders = messages_to(&shared_inbox(), &person.email)
        .into_iter()
        .filter(|mail| mail.text().contains(&marker))
        .count();
    assert_eq!(reminders, 1);

    // The job no longer reads a certificate whose due reminders are recorded.
    let today = today(&app);
    let last_due = today + TimeDelta::days(30);
    let candidates = app
        .database()
        .run(move |connection| {
            incert_api::storage::certificates::reminder_candidates(
                connection, today, last_due, 0, 100,
            )
            .map_err(incert_api::storage::StorageError::from)
        })
        .await
        .expect("reminder candidates");
    assert!(
        candidates
            .iter()
            .all(|candidate| candidate.certificate.number != number),
        "{number} is still a candidate"
    );
}

async fn public_check_is_rate_limited(backend: Backend) {
    let app = TestApp::spawn_with(backend, |settings| {
        settings.public_checks_per_minute = 3;
    })
    .await;

    let mut statuses = Vec::new();
    let mut retry_after = None;
    // Seven checks cannot all fall within the limit, even if a minute boundary splits them.
    for _ in 0..7 {
        let response = app.get("/api/v1/public/certificates/INC-2026-000001").await;
        if response.status() == 429 {
            retry_after = header(&response, "retry-after");
        }
        statuses.push(response.status().as_u16());
    }
    assert_eq!(statuses[0], 404);
    assert!(statuses.contains(&429), "{statuses:?}");
    let seconds: u64 = retry_after.expect("Retry-After").parse().expect("seconds");
    assert!((1..=60).contains(&seconds), "{seconds}");

    // The reminder job clears counters older than an hour; a new minute checks again.
    let counters = |app: &TestApp| {
        let database = app.database().clone();
        async move {
            database
                .run(|connection| {
                    use diesel::prelude::*;
                    use incert_api::storage::schema::throttle_counters;
                    Ok::<_, incert_api::storage::StorageError>(
                        throttle_counters::table
                            .filter(throttle_counters::scope.eq("public_certificate_checks"))
                            .count()
                            .get_result::<i64>(connection)?,
                    )
                })
                .await
                .expect("count counters")
        }
    };
    assert!(counters(&app).await >= 1);
    app.state.clock.advance(TimeDelta::hours(2));
    incert_api::service::certification::reminders::send_due(&app.state)
        .await
        .expect("reminder run");
    assert_eq!(counters(&app).await, 0);
    let again = app.get("/api/v1/public/certificates/INC-2026-000001").await;
    assert_eq!(again.status(), 404);
}

async fn catalogue_is_staff_data(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let officer = signed_in_staff(&app, "case_officer").await;
    let person = signed_in_person(&app, "catalogue").await;

    let invalid = post(
        &app,
        "/api/v1/admin/certificate-types",
        &administrator.token,
        json!({
            "code": "a1",
            "technical_area": "nowhere",
            "name_sv": "",
            "name_en": "A1",
            "holder_kind": "person",
            "exam_parts": [],
            "validity_years": 0,
            "annual_renewal": true,
            "price_sek": 100,
        }),
    )
    .await;
    let body = problem(invalid, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .filter_map(|error| error["field"].as_str())
        .collect();
    assert_eq!(fields, ["code", "name_sv", "exam_parts", "validity_years"]);
    problem(
        post(
            &app,
            "/api/v1/admin/certificate-types",
            &officer.token,
            json!({}),
        )
        .await,
        403,
        "forbidden",
    )
    .await;

    let retire = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/admin/certificate-types/KAT4",
        &administrator.token,
        Some(json!({"retired": true})),
    )
    .await;
    assert_eq!(retire.status(), 200);
    assert_eq!(json_body(retire).await["retired"], true);
    let rename = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/admin/certificate-types/KAT1",
        &administrator.token,
        Some(json!({"name_sv": "Personcertifikat A1", "price_sek": 2100})),
    )
    .await;
    assert_eq!(rename.status(), 200);
    let renamed = json_body(rename).await;
    assert_eq!(renamed["name"]["sv"], "Personcertifikat A1");
    assert_eq!(renamed["price"], json!({"amount_sek": 2100, "demo": false}));
    let bad_rules = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/admin/certificate-types/KAT1",
        &administrator.token,
        Some(json!({"recertification_years": 9})),
    )
    .await;
    let body = problem(bad_rules, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "recertification_years");

    let public = json_body(app.get("/api/v1/technical-areas").await).await;
    let listed = public.to_string();
    assert!(!listed.contains("\"KAT4\""), "{listed}");
    assert!(listed.contains("Personcertifikat A1"), "{listed}");
    let refused = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": "KAT4"}),
    )
    .await;
    let body = problem(refused, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["code"], "certificate_type_retired");
    let everything = json_body(
        get(
            &app,
            "/api/v1/admin/certificate-types",
            &administrator.token,
        )
        .await,
    )
    .await;
    assert!(everything.to_string().contains("\"KAT4\""));
}

/// Creates a centre with client credentials through the staff API and returns a centre
/// access token from the client credentials grant.
async fn centre_token(app: &TestApp, administrator: &SignedIn, name: &str) -> String {
    let centre = post(
        app,
        "/api/v1/admin/examination-centres",
        &administrator.token,
        json!({"name": name}),
    )
    .await;
    assert_eq!(centre.status(), 201);
    let centre_id = json_body(centre).await["id"]
        .as_str()
        .expect("centre id")
        .to_owned();
    let credentials = post(
        app,
        &format!("/api/v1/admin/examination-centres/{centre_id}/clients"),
        &administrator.token,
        json!({"label": "bokning"}),
    )
    .await;
    assert_eq!(credentials.status(), 201);
    let credentials = json_body(credentials).await;
    let granted = app
        .client
        .post(app.url("/api/v1/oauth/token"))
        .basic_auth(
            credentials["client_id"].as_str().expect("client_id"),
            credentials["client_secret"].as_str(),
        )
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .expect("request");
    assert_eq!(granted.status(), 200);
    json_body(granted).await["access_token"]
        .as_str()
        .expect("access_token")
        .to_owned()
}

/// Follows the whole path of the certification body: a person applies, a centre enrols them
/// and a second candidate, reports passed exams, staff approve, and the certificate reaches
/// Min Sida, the PDF and the public check.
async fn exam_to_certificate_journey(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let applicant = signed_in_person(&app, "journey").await;
    give_personnummer(&app, &applicant, "19811218-9876").await;
    let other = signed_in_person(&app, "candidate").await;
    let application = apply(&app, &applicant, "KAT1").await;
    let centre = centre_token(&app, &administrator, "Kylskolan Provcenter").await;

    // The centre publishes a session that started an hour ago and enrols both candidates.
    let starts_at = app.state.clock.now() - TimeDelta::hours(1);
    let session = post(
        &app,
        "/api/v1/centre/exam-sessions",
        &centre,
        json!({
            "certificate_type": "KAT1",
            "starts_at": starts_at.to_rfc3339(),
            "place": "Verkstadsgatan 2, Göteborg",
            "seats": 12,
        }),
    )
    .await;
    assert_eq!(session.status(), 201);
    let session = json_body(session).await["id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let enrolments = format!("/api/v1/centre/exam-sessions/{session}/enrolments");
    let enrol = |body: Value, key: &'static str| {
        app.client
            .post(app.url(&enrolments))
            .bearer_auth(&centre)
            .header("Idempotency-Key", key)
            .json(&body)
            .send()
    };
    let by_personnummer = enrol(json!({"personnummer": "19811218-9876"}), "journey-1")
        .await
        .expect("request");
    assert_eq!(by_personnummer.status(), 201);
    let first = json_body(by_personnummer).await;
    assert_eq!(first["application_id"], application.as_str());
    assert_eq!(first["application_state"], "awaiting_exam");
    assert!(!first.to_string().contains("9876"), "{first}");
    let retried = enrol(json!({"personnummer": "19811218-9876"}), "journey-1")
        .await
        .expect("request");
    assert_eq!(retried.status(), 201);
    assert_eq!(
        header(&retried, "idempotency-replayed").as_deref(),
        Some("true")
    );
    assert_eq!(json_body(retried).await, first);
    let by_email = enrol(
        json!({"email": other.email, "birth_date": "1980-01-01"}),
        "journey-2",
    )
    .await
    .expect("request");
    assert_eq!(by_email.status(), 201);
    let listed = json_body(get(&app, &enrolments, &centre).await).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(2), "{listed}");

    // Both parts passed move the application into review.
    let taken_on = today(&app).to_string();
    let reported = send(
        &app,
        reqwest::Method::PUT,
        &format!(
            "/api/v1/centre/enrolments/{}/result",
            first["id"].as_str().expect("enrolment id")
        ),
        &centre,
        Some(json!({"parts": [
            {"part": "theory", "outcome": "passed", "score": 34, "max_score": 40,
             "taken_on": taken_on, "examiner": "Eva Exempel", "deviation": null},
            {"part": "practical", "outcome": "passed", "score": null, "max_score": null,
             "taken_on": taken_on, "examiner": "Eva Exempel", "deviation": null},
        ]})),
    )
    .await;
    assert_eq!(reported.status(), 200);
    let mine = json_body(get(&app, "/api/v1/me/applications", &applicant.token).await).await;
    assert_eq!(mine[0]["state"], "in_review");
    assert_eq!(mine[0]["exam_results"].as_array().map(Vec::len), Some(2));

    // Staff see the results and approve; the certificate carries the type's dates.
    let reviewed = json_body(
        get(
            &app,
            &format!("/api/v1/admin/applications/{application}"),
            &administrator.token,
        )
        .await,
    )
    .await;
    assert_eq!(
        reviewed["application"]["exam_results"][0]["outcome"],
        "passed"
    );
    assert_eq!(
        reviewed["applicant"]["personnummer_masked"],
        "19811218-****"
    );
    let certificate = approve(&app, &administrator, &application).await;
    let number = certificate["number"].as_str().expect("number").to_owned();
    let issued_on = today(&app);
    assert_eq!(
        date(&certificate["valid_until"]),
        issued_on.checked_add_months(Months::new(60)).expect("date")
    );
    assert_eq!(
        date(&certificate["annual_renewal_due"]),
        issued_on.checked_add_months(Months::new(12)).expect("date")
    );

    let list = json_body(get(&app, "/api/v1/me/certificates", &applicant.token).await).await;
    assert_eq!(
        list["groups"][0]["certificates"][0]["number"],
        number.as_str()
    );
    assert_eq!(
        list["groups"][0]["certificates"][0]["certificate"],
        "Personcertifikat Kategori I"
    );
    let pdf = get(
        &app,
        &format!("/api/v1/me/certificates/{number}/pdf"),
        &applicant.token,
    )
    .await;
    assert_eq!(pdf.status(), 200);
    let bytes = pdf.bytes().await.expect("pdf");
    assert!(bytes.starts_with(b"%PDF-"));
    let public = json_body(
        app.get(&format!("/api/v1/public/certificates/{number}"))
            .await,
    )
    .await;
    assert_eq!(public["status"], "valid");
    assert_eq!(public["certificate_type"], "KAT1");
    let text = public.to_string();
    assert!(!text.contains("19811218"), "{text}");
    assert!(!text.contains("9876"), "{text}");

    // Enrolled on a later session, the holder sits the exam to recertify the certificate.
    let later = post(
        &app,
        "/api/v1/centre/exam-sessions",
        &centre,
        json!({
            "certificate_type": "KAT1",
            "starts_at": (starts_at + TimeDelta::days(30)).to_rfc3339(),
            "place": "Verkstadsgatan 2, Göteborg",
            "seats": 12,
        }),
    )
    .await;
    assert_eq!(later.status(), 201);
    let later = json_body(later).await["id"]
        .as_str()
        .expect("session id")
        .to_owned();
    let again = post(
        &app,
        &format!("/api/v1/centre/exam-sessions/{later}/enrolments"),
        &centre,
        json!({"personnummer": "19811218-9876"}),
    )
    .await;
    assert_eq!(again.status(), 201);
    let mine = json_body(get(&app, "/api/v1/me/applications", &applicant.token).await).await;
    let open = mine
        .as_array()
        .expect("applications")
        .iter()
        .find(|application| application["state"] == "awaiting_exam")
        .cloned()
        .unwrap_or_default();
    assert_eq!(open["kind"], "recertification", "{mine}");
    assert_eq!(open["renews_certificate"], number.as_str(), "{mine}");
}

/// A server reuses the catalogue it read for certificate lists for a few seconds. A
/// certificate of a type that another server created meanwhile still lists at once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn list_reads_catalogue_again_for_new_type() {
    let (first, second) = crate::nodes::two_nodes().await;
    let administrator = signed_in_staff(&first, "administrator").await;
    let officer = signed_in_staff(&first, "case_officer").await;
    let person = signed_in_person(&first, "kept-catalogue").await;
    let before = json_body(get(&first, "/api/v1/me/certificates", &person.token).await).await;
    assert_eq!(before["total"], 0, "{before}");

    add_document_type(&second, &administrator).await;
    let application = apply(&second, &person, DOCUMENT_TYPE).await;
    let certificate = approve(&second, &officer, &application).await;

    let listed = get(&first, "/api/v1/me/certificates", &person.token).await;
    assert_eq!(listed.status(), 200);
    let after = json_body(listed).await;
    assert_eq!(after["total"], 1, "{after}");
    assert_eq!(
        after["groups"][0]["certificates"][0]["number"], certificate["number"],
        "{after}"
    );
}

/// Staff do not decide their own cases, a certificate is not issued before it was applied
/// for, and an issued certificate keeps the names it was issued with.
async fn decisions_are_separate_and_keep_names(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    let officer = signed_in_staff(&app, "case_officer").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "names").await;

    let own = apply(&app, &officer, DOCUMENT_TYPE).await;
    for decision in ["approve", "reject"] {
        let refused = post(
            &app,
            &format!("/api/v1/admin/applications/{own}/{decision}"),
            &officer.token,
            json!({"reason": "Egen ansökan"}),
        )
        .await;
        problem(refused, 422, "self_decision_not_allowed").await;
    }

    let application = apply(&app, &person, DOCUMENT_TYPE).await;
    let hidden = post(
        &app,
        &format!("/api/v1/admin/applications/{application}/reject"),
        &officer.token,
        json!({"reason": "Intyg\u{202E}et saknas"}),
    )
    .await;
    let body = problem(hidden, 422, "validation_failed").await;
    assert_eq!(
        body["errors"][0]["code"], "text_invalid_characters",
        "{body}"
    );
    let yesterday = today(&app).pred_opt().expect("date");
    let early = post(
        &app,
        &format!("/api/v1/admin/applications/{application}/approve"),
        &officer.token,
        json!({"issued_on": yesterday}),
    )
    .await;
    let body = problem(early, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "issued_on", "{body}");
    assert_eq!(
        body["errors"][0]["code"], "date_before_application",
        "{body}"
    );
    let certificate = approve(&app, &officer, &application).await;
    let number = certificate["number"].as_str().expect("number").to_owned();
    assert_eq!(certificate["holder_name"], "Test Person");

    // A second certificate of the same type comes only by recertification.
    let second = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": DOCUMENT_TYPE}),
    )
    .await;
    problem(second, 409, "certificate_already_held").await;
    let recertification = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": DOCUMENT_TYPE, "renews_certificate": number}),
    )
    .await;
    assert_eq!(recertification.status(), 201);
    assert_eq!(json_body(recertification).await["kind"], "recertification");

    // Renaming the person and the type later leaves the issued certificate as it was.
    let renamed = send(
        &app,
        reqwest::Method::PATCH,
        "/api/v1/me",
        &person.token,
        Some(json!({"first_name": "Ny", "last_name": "Namnsson"})),
    )
    .await;
    assert_eq!(renamed.status(), 200);
    let retitled = send(
        &app,
        reqwest::Method::PATCH,
        &format!("/api/v1/admin/certificate-types/{DOCUMENT_TYPE}"),
        &administrator.token,
        Some(json!({"name_sv": "Omdöpt certifikat", "name_en": "Renamed certificate"})),
    )
    .await;
    assert_eq!(retitled.status(), 200);
    let public = json_body(
        app.get(&format!("/api/v1/public/certificates/{number}"))
            .await,
    )
    .await;
    assert_eq!(public["holder_name"], "Test Person", "{public}");
    assert_eq!(
        public["certificate_type_name"]["sv"], "Testcertifikat",
        "{public}"
    );
    let listed = get(&app, "/api/v1/me/certificates", &person.token).await;
    // Personal data stays out of caches.
    assert_eq!(
        header(&listed, "cache-control").as_deref(),
        Some("no-store")
    );
    let list = json_body(listed).await;
    assert_eq!(
        list["groups"][0]["certificates"][0]["certificate"], "Testcertifikat",
        "{list}"
    );

    // Nor does an officer withdraw their own certificate.
    let administrator_application = apply(&app, &administrator, DOCUMENT_TYPE).await;
    let officers_certificate = approve(&app, &officer, &administrator_application).await;
    let withdrawn = post(
        &app,
        &format!(
            "/api/v1/admin/certificates/{}/withdraw",
            officers_certificate["number"].as_str().expect("number")
        ),
        &administrator.token,
        json!({"reason": "Eget certifikat"}),
    )
    .await;
    problem(withdrawn, 422, "self_decision_not_allowed").await;
}

/// Lists of several applications read their details in batches, and each entry must still
/// show its own applicant, type and certificate.
async fn listed_applications_keep_their_own_details(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let administrator = signed_in_staff(&app, "administrator").await;
    add_document_type(&app, &administrator).await;
    let first = signed_in_person(&app, "batch.first").await;
    let second = signed_in_person(&app, "batch.second").await;
    let approved = apply(&app, &first, DOCUMENT_TYPE).await;
    let waiting = apply(&app, &first, "KAT1").await;
    let other = apply(&app, &second, DOCUMENT_TYPE).await;
    let number = approve(&app, &administrator, &approved).await["number"]
        .as_str()
        .expect("number")
        .to_owned();

    let queue = json_body(
        get(
            &app,
            "/api/v1/admin/applications?per_page=100",
            &administrator.token,
        )
        .await,
    )
    .await;
    let items = queue["items"].as_array().expect("items");
    let entry = |id: &str| {
        items
            .iter()
            .find(|item| item["application"]["id"] == id)
            .unwrap_or_else(|| panic!("{id} missing from {queue}"))
    };
    for (id, email, certificate_type, certificate_number) in [
        (
            &approved,
            &first.email,
            DOCUMENT_TYPE,
            Value::from(number.as_str()),
        ),
        (&waiting, &first.email, "KAT1", Value::Null),
        (&other, &second.email, DOCUMENT_TYPE, Value::Null),
    ] {
        let item = entry(id);
        assert_eq!(item["applicant"]["email"], email.as_str(), "{item}");
        assert_eq!(item["application"]["certificate_type"], certificate_type);
        assert_eq!(
            item["application"]["certificate_number"],
            certificate_number
        );
    }

    let mine = json_body(get(&app, "/api/v1/me/applications", &first.token).await).await;
    let listed: Vec<(&str, &str, Option<&str>)> = mine
        .as_array()
        .expect("applications")
        .iter()
        .map(|application| {
            (
                application["id"].as_str().expect("id"),
                application["certificate_type"].as_str().expect("type"),
                application["certificate_number"].as_str(),
            )
        })
        .collect();
    assert_eq!(
        listed,
        vec![
            (waiting.as_str(), "KAT1", None),
            (approved.as_str(), DOCUMENT_TYPE, Some(number.as_str())),
        ]
    );
}

/// Checks that an approved recertification replaces the renewed certificate from its issue day.
async fn recertification_replaces_old_certificate(backend: Backend) {
    // Access tokens outlive the days that the clock moves on below.
    let app = TestApp::spawn_with_mail_and(backend, |settings| {
        settings.access_token_seconds = 7 * 24 * 60 * 60;
    })
    .await;
    let administrator = signed_in_staff(&app, "administrator").await;
    add_document_type(&app, &administrator).await;
    let person = signed_in_person(&app, "recertified").await;
    let first = apply(&app, &person, DOCUMENT_TYPE).await;
    let old_certificate = approve(&app, &administrator, &first).await;
    let old_number = old_certificate["number"]
        .as_str()
        .expect("number")
        .to_owned();
    let old_renewal_due = old_certificate["annual_renewal_due"]
        .as_str()
        .expect("annual renewal date")
        .to_owned();

    // The recertification is issued, and so replaces the old certificate, two days later.
    app.state.clock.advance(TimeDelta::days(2));
    let renewal = apply_renewal(&app, &person, &old_number).await;
    let new_certificate = approve(&app, &administrator, &renewal).await;
    let new_number = new_certificate["number"]
        .as_str()
        .expect("number")
        .to_owned();
    assert_ne!(new_number, old_number);
    let replaced_on = today(&app).to_string();
    assert_eq!(new_certificate["issued_on"], replaced_on.as_str());
    assert_ne!(old_certificate["issued_on"], replaced_on.as_str());

    // The holder's list names the replacing certificate and shows no renewal as due.
    let listed = json_body(get(&app, "/api/v1/me/certificates", &person.token).await).await;
    let row_of = |number: &str| {
        listed["groups"]
            .as_array()
            .expect("groups")
            .iter()
            .flat_map(|group| {
                group["certificates"]
                    .as_array()
                    .cloned()
                    .unwrap_or_default()
            })
            .find(|row| row["number"] == number)
            .unwrap_or_else(|| panic!("{number} missing from {listed}"))
    };
    let old_row = row_of(&old_number);
    assert_eq!(old_row["status"], "replaced", "{old_row}");
    assert_eq!(
        old_row["replaced_by_certificate"],
        new_number.as_str(),
        "{old_row}"
    );
    assert_eq!(old_row["replaced_on"], replaced_on.as_str(), "{old_row}");
    assert_eq!(old_row["annual_renewal"], Value::Null, "{old_row}");
    let new_row = row_of(&new_number);
    assert_eq!(new_row["status"], "valid", "{new_row}");
    assert_eq!(new_row["replaced_by_certificate"], Value::Null, "{new_row}");
    assert_eq!(new_row["replaced_on"], Value::Null, "{new_row}");
    assert!(new_row["annual_renewal"].is_string(), "{new_row}");

    // So does the public check.
    let old_public = format!("/api/v1/public/certificates/{old_number}");
    let old_checked = json_body(app.get(&old_public).await).await;
    assert_eq!(old_checked["status"], "replaced", "{old_checked}");
    assert_eq!(
        old_checked["replaced_by_certificate"],
        new_number.as_str(),
        "{old_checked}"
    );
    assert_eq!(
        old_checked["replaced_on"],
        replaced_on.as_str(),
        "{old_checked}"
    );
    let new_public = format!("/api/v1/public/certificates/{new_number}");
    let new_checked = json_body(app.get(&new_public).await).await;
    assert_eq!(new_checked["status"], "valid", "{new_checked}");
    assert_eq!(
        new_checked["replaced_by_certificate"],
        Value::Null,
        "{new_checked}"
    );
    assert_eq!(new_checked["replaced_on"], Value::Null, "{new_checked}");

    // So does the old certificate's PDF, in the language of the request.
    let sentences = [
        (
            "sv",
            format!("Ersatt av certifikat {new_number} den {replaced_on}"),
        ),
        (
            "en",
            format!("Replaced by certificate {new_number} on {replaced_on}"),
        ),
    ];
    for (language, sentence) in sentences {
        let pdf = app
            .client
            .get(app.url(&format!("/api/v1/me/certificates/{old_number}/pdf")))
            .bearer_auth(&person.token)
            .header("accept-language", language)
            .send()
            .await
            .expect("request");
        assert_eq!(pdf.status(), 200);
        let bytes = pdf.bytes().await.expect("pdf");
        let shows = |text: &str| {
            bytes
                .windows(text.len())
                .any(|window| window == text.as_bytes())
        };
        assert!(shows(&sentence), "{language} PDF lacks {sentence:?}");
        assert!(
            !shows(&old_renewal_due),
            "{language} PDF shows the renewal date {old_renewal_due}"
        );
    }

    // The old certificate takes no attestations and no second recertification.
    problem(
        post(
            &app,
            &format!("/api/v1/certificates/{old_number}/attestations"),
            &administrator.token,
            json!({}),
        )
        .await,
        409,
        "certificate_replaced",
    )
    .await;
    let again = post(
        &app,
        "/api/v1/me/applications",
        &person.token,
        json!({"certificate_type": DOCUMENT_TYPE, "renews_certificate": old_number}),
    )
    .await;
    let body = problem(again, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "renews_certificate", "{body}");
    assert_eq!(body["errors"][0]["code"], "certificate_replaced", "{body}");

    // A certificate withdrawn after its recertification was filed is not recertified.
    let pending = apply_renewal(&app, &person, &new_number).await;
    let withdrawn = post(
        &app,
        &format!("/api/v1/admin/certificates/{new_number}/withdraw"),
        &administrator.token,
        json!({"reason": "Fusk vid prov"}),
    )
    .await;
    assert_eq!(withdrawn.status(), 200);
    problem(
        post(
            &app,
            &format!("/api/v1/admin/applications/{pending}/approve"),
            &administrator.token,
            json!({}),
        )
        .await,
        409,
        "certificate_withdrawn",
    )
    .await;
    assert_eq!(public_status(&app, &new_public).await, "withdrawn");
}

/// Checks that a role changed in the database counts at the next request, not when the token
/// expires.
async fn changed_role_counts_at_once(backend: Backend) {
    let app = TestApp::spawn_with_mail(backend).await;
    let officer = signed_in_staff(&app, "case_officer").await;
    let queue = "/api/v1/admin/applications";
    assert_eq!(get(&app, queue, &officer.token).await.status(), 200);

    let email = officer.email.clone();
    app.database()
        .run(move |connection| {
            use diesel::prelude::*;
            use incert_api::storage::schema::accounts;
            Ok::<_, incert_api::storage::StorageError>(
                diesel::update(accounts::table.filter(accounts::email.eq(email)))
                    .set(accounts::role.eq("person"))
                    .execute(connection)?,
            )
        })
        .await
        .expect("change role");

    problem(get(&app, queue, &officer.token).await, 403, "forbidden").await;
}

on_both_backends!(
    decisions_are_separate_and_keep_names,
    changed_role_counts_at_once,
    recertification_replaces_old_certificate,
    listed_applications_keep_their_own_details,
    exam_to_certificate_journey,
    catalogue_and_price_list,
    application_rules,
    approval_issues_certificate,
    rejection_and_withdrawal,
    status_follows_clock_and_attestations,
    reminders_sent_once,
    public_check_is_rate_limited,
    catalogue_is_staff_data,
);
