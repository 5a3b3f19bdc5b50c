//! Wire protocol details: methods, content types, validation, error bodies, parsing and
//! timeouts.

use std::time::Duration;

use actix_web::{App, HttpResponse, HttpServer, web};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use incert_bankid::simulator::{Simulator, SimulatorConfig};
use incert_bankid::{
    AuthRequest, BankIdClient, BankIdError, CallInitiator, ClientConfig, CollectResponse,
    CollectStatus, ErrorCode, HintCode, PhoneAuthRequest, RequestError, SignRequest,
};
use serde_json::{Value, json};

use crate::helpers::{TestSimulator, end_user_ip, person_a, serve};

fn assert_invalid(status: u16, body: &Value, details_part: &str) {
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["errorCode"], "invalidParameters", "{body}");
    let details = body["details"].as_str().unwrap();
    assert!(
        details.contains(details_part),
        "expected {details_part:?} in {details:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_post_methods_get_405() {
    let test = TestSimulator::start().await;
    for endpoint in [
        "auth",
        "sign",
        "phone/auth",
        "phone/sign",
        "collect",
        "cancel",
    ] {
        let response = test.http.get(test.rp_url(endpoint)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405, "{endpoint}");
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["errorCode"], "methodNotAllowed", "{endpoint}");
    }
    let response = test.http.put(test.rp_url("auth")).send().await.unwrap();
    assert_eq!(response.status().as_u16(), 405);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn wrong_content_type_gets_415() {
    let test = TestSimulator::start().await;
    let body = r#"{"endUserIp":"192.0.2.1"}"#;
    for content_type in [
        "text/plain",
        "application/json; charset=UTF-8",
        "application/xml",
    ] {
        let (status, json) = test.post_rp("auth", content_type, body).await;
        assert_eq!(status, 415, "{content_type}");
        assert_eq!(json["errorCode"], "unsupportedMediaType", "{content_type}");
    }
    let response = test
        .http
        .post(test.rp_url("collect"))
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 415);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invalid_parameters_are_named() {
    let test = TestSimulator::start().await;
    let json = "application/json";
    let too_long = STANDARD.encode(vec![b'a'; 1200]);
    let cases: Vec<(&str, String, &str)> = vec![
        ("auth", "{}".to_owned(), "endUserIp is missing"),
        ("auth", r#"{"endUserIp":"300.1.1.1"}"#.to_owned(), "endUserIp"),
        ("auth", r#"{"endUserIp":"localhost"}"#.to_owned(), "endUserIp"),
        ("auth", "not json".to_owned(), "invalid JSON"),
        ("auth", r#"{"endUserIp":1}"#.to_owned(), "invalid JSON"),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","requirement":{"personalNumber":"1212121212"}}"#.to_owned(),
            "requirement.personalNumber",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","requirement":{"personalNumber":"191212121213"}}"#.to_owned(),
            "requirement.personalNumber",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","requirement":{"cardReader":"class3"}}"#.to_owned(),
            "cardReader",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","requirement":{"certificatePolicies":["x.y"]}}"#.to_owned(),
            "certificatePolicies",
        ),
        (
            "auth",
            format!(r#"{{"endUserIp":"192.0.2.1","userVisibleData":"{too_long}"}}"#),
            "userVisibleData",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","userVisibleData":"%%%"}"#.to_owned(),
            "userVisibleData is not valid base64",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","userVisibleData":"dGV4dA==","userVisibleDataFormat":"html"}"#
                .to_owned(),
            "userVisibleDataFormat",
        ),
        (
            "auth",
            format!(r#"{{"endUserIp":"192.0.2.1","userNonVisibleData":"{too_long}"}}"#),
            "userNonVisibleData",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","returnUrl":""}"#.to_owned(),
            "returnUrl",
        ),
        (
            "auth",
            format!(
                r#"{{"endUserIp":"192.0.2.1","returnUrl":"https://x/{}"}}"#,
                "a".repeat(510)
            ),
            "returnUrl",
        ),
        (
            "auth",
            r#"{"endUserIp":"192.0.2.1","web":{},"app":{}}"#.to_owned(),
            "web and app",
        ),
        ("sign", r#"{"endUserIp":"192.0.2.1"}"#.to_owned(), "userVisibleData is missing"),
        ("phone/auth", r#"{"callInitiator":"user"}"#.to_owned(), "personalNumber is missing"),
        (
            "phone/auth",
            r#"{"personalNumber":"191212121212"}"#.to_owned(),
            "callInitiator is missing",
        ),
        (
            "phone/auth",
            r#"{"personalNumber":"191212121212","callInitiator":"rp"}"#.to_owned(),
            "callInitiator",
        ),
        (
            "phone/auth",
            r#"{"personalNumber":"19121212-1212","callInitiator":"RP"}"#.to_owned(),
            "personalNumber must be 12 digits",
        ),
        (
            "phone/sign",
            r#"{"personalNumber":"191212121212","callInitiator":"RP"}"#.to_owned(),
            "userVisibleData is missing",
        ),
        ("collect", "{}".to_owned(), "orderRef is missing"),
        ("collect", r#"{"orderRef":"no-such-order"}"#.to_owned(), "No such order"),
        ("cancel", r#"{"orderRef":""}"#.to_owned(), "orderRef is missing"),
    ];
    for (endpoint, body, details_part) in cases {
        let (status, answer) = test.post_rp(endpoint, json, &body).await;
        assert_invalid(status, &answer, details_part);
    }
    assert_eq!(test.simulator.order_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn valid_raw_request_with_every_field_is_accepted() {
    let test = TestSimulator::start().await;
    let body = json!({
        "endUserIp": "2001:db8::1",
        "requirement": {
            "pinCode": true,
            "mrtd": false,
            "cardReader": "class2",
            "certificatePolicies": ["1.2.752.78.1.5", "1.2.752.78.*"],
            "personalNumber": "191212121212"
        },
        "userVisibleData": STANDARD.encode("Logga in"),
        "userVisibleDataFormat": "simpleMarkdownV1",
        "userNonVisibleData": STANDARD.encode([0u8, 1, 2]),
        "returnUrl": "https://incert.example/return",
        "returnRisk": true,
        "web": { "referringDomain": "incert.example", "userAgent": "test", "deviceIdentifier": "abc" },
        "someFieldBankIdMightAdd": 1
    });
    let (status, answer) = test
        .post_rp("auth", "application/json", &body.to_string())
        .await;
    assert_eq!(status, 200, "{answer}");
    for field in [
        "orderRef",
        "autoStartToken",
        "qrStartToken",
        "qrStartSecret",
    ] {
        assert!(
            answer[field]
                .as_str()
                .is_some_and(|value| !value.is_empty()),
            "{field}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_checks_limits_before_sending() {
    let test = TestSimulator::start().await;

    let request = SignRequest::new(end_user_ip(), "å".repeat(600));
    let error = test.client.sign(&request).await.unwrap_err();
    match &error {
        BankIdError::InvalidRequest(RequestError::TooLong { field, length, max }) => {
            assert_eq!(*field, "userVisibleData");
            assert_eq!(*length, 1600);
            assert_eq!(*max, 1500);
        }
        other => panic!("expected TooLong, got {other:?}"),
    }
    assert!(!error.is_retryable());

    let error = test
        .client
        .sign(&SignRequest::new(end_user_ip(), ""))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        BankIdError::InvalidRequest(RequestError::Empty {
            field: "userVisibleData"
        })
    ));

    let mut request = AuthRequest::new(end_user_ip());
    request.return_url = Some(format!("https://incert.example/{}", "a".repeat(500)));
    let error = test.client.auth(&request).await.unwrap_err();
    assert!(matches!(
        error,
        BankIdError::InvalidRequest(RequestError::TooLong {
            field: "returnUrl",
            ..
        })
    ));

    let mut request = AuthRequest::new(end_user_ip());
    request.user_non_visible_data = Some(vec![0; 1126]);
    let error = test.client.auth(&request).await.unwrap_err();
    assert!(matches!(
        error,
        BankIdError::InvalidRequest(RequestError::TooLong {
            field: "userNonVisibleData",
            ..
        })
    ));

    let interim = incert_domain::Personnummer::from_canonical("19900101T239").unwrap();
    let error = test
        .client
        .phone_auth(&PhoneAuthRequest::new(interim, CallInitiator::User))
        .await
        .unwrap_err();
    assert!(matches!(
        error,
        BankIdError::InvalidRequest(RequestError::InterimPersonalNumber { .. })
    ));
    assert!(!error.to_string().contains("T239"));

    assert_eq!(test.simulator.order_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn longest_allowed_data_is_accepted() {
    let test = TestSimulator::start().await;
    // 1 125 bytes encode to exactly 1 500 base64 characters.
    let mut request = SignRequest::new(end_user_ip(), "a".repeat(1125));
    request.user_non_visible_data = Some(vec![7; 1125]);
    request.return_url = Some(format!("https://x/{}", "a".repeat(502)));
    test.client.sign(&request).await.unwrap();
    assert_eq!(test.simulator.order_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_paths_get_not_found() {
    let test = TestSimulator::start().await;
    let (status, body) = test.post_rp("verify", "application/json", "{}").await;
    assert_eq!(status, 404);
    assert_eq!(body["errorCode"], "notFound");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_orders_can_be_forbidden() {
    let config = SimulatorConfig {
        phone_enabled: false,
        ..SimulatorConfig::default()
    };
    let test = TestSimulator::start_with(config).await;
    let error = test
        .client
        .phone_auth(&PhoneAuthRequest::new(person_a(), CallInitiator::User))
        .await
        .unwrap_err();
    match error {
        BankIdError::Api { status, code, .. } => {
            assert_eq!(status, 401);
            assert_eq!(code, ErrorCode::Unauthorized);
        }
        other => panic!("expected unauthorized, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn simulator_works_without_prefix() {
    let (base_url, handle) = serve(Simulator::new(SimulatorConfig::default()), "");
    let client = BankIdClient::new(&ClientConfig::new(base_url.clone())).unwrap();
    let order = client.auth(&AuthRequest::new(end_user_ip())).await.unwrap();
    let response = client.collect(&order.order_ref).await.unwrap();
    assert_eq!(response.status, CollectStatus::Pending);
    let page = reqwest::get(format!("{base_url}/app")).await.unwrap();
    assert_eq!(page.status().as_u16(), 200);
    handle.stop(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn virtual_app_page_is_bilingual_html() {
    let test = TestSimulator::start().await;
    let response = test
        .http
        .get(format!("{}/app", test.base_url))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 200);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("text/html"), "{content_type}");
    let swedish = response.text().await.unwrap();
    assert!(swedish.contains("lang=\"sv\""));
    assert!(swedish.contains("Godkänn"));

    let english = test
        .http
        .get(format!(
            "{}/app?lang=en&autostarttoken=abc-123",
            test.base_url
        ))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(english.contains("lang=\"en\""));
    assert!(english.contains("Approve"));
    assert!(english.contains("value=\"abc-123\""));
}

#[test]
fn collect_response_ignores_unknown_fields() {
    let json = r#"{
        "orderRef": "131daac9-16c6-4618-beb0-365768f37288",
        "status": "complete",
        "futureTopLevelField": {"a": 1},
        "completionData": {
            "user": {
                "personalNumber": "191212121212",
                "name": "Anna Andersson",
                "givenName": "Anna",
                "surname": "Andersson",
                "futureUserField": true
            },
            "device": {"ipAddress": "192.0.2.5", "uhi": "OZvYM9VvyiAmG7NA5jU5zRGcVsHb", "futureDeviceField": 1},
            "stepUp": {"mrtd": true, "futureCheck": false},
            "bankIdIssueDate": "2023-04-25",
            "signature": "PHNpZ25hdHVyZS8+",
            "ocspResponse": "b2NzcA==",
            "risk": "someFutureRiskLevel",
            "futureCompletionField": []
        }
    }"#;
    let response: CollectResponse = serde_json::from_str(json).unwrap();
    assert_eq!(response.status, CollectStatus::Complete);
    let completion = response.completion_data.unwrap();
    assert_eq!(completion.user.personal_number, person_a());
    assert_eq!(completion.step_up.as_ref().unwrap().mrtd, Some(true));
    assert_eq!(completion.bank_id_issue_date.to_string(), "2023-04-25");
    assert_eq!(completion.signature_xml().unwrap(), "<signature/>");
    assert_eq!(
        completion.risk,
        Some(incert_bankid::RiskLevel::Unknown(
            "someFutureRiskLevel".to_owned()
        ))
    );
    assert!(!format!("{:?}", completion.user).contains("1212121212"));

    let pending: CollectResponse = serde_json::from_str(
        r#"{"orderRef":"x","status":"pending","hintCode":"brandNewHint","extra":1}"#,
    )
    .unwrap();
    assert_eq!(
        pending.hint_code,
        Some(HintCode::Unknown("brandNewHint".to_owned()))
    );
}

/// Serves a fixed response on every path, for error bodies the simulator never sends.
fn serve_fixed(status: u16, body: &'static str) -> (String, actix_web::dev::ServerHandle) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let address = listener.local_addr().unwrap();
    let server = HttpServer::new(move || {
        App::new().default_service(web::to(move || async move {
            HttpResponse::build(actix_web::http::StatusCode::from_u16(status).unwrap())
                .content_type("application/json")
                .body(body)
        }))
    })
    .workers(1)
    .disable_signals()
    .listen(listener)
    .unwrap()
    .run();
    let handle = server.handle();
    tokio::spawn(server);
    (format!("http://{address}"), handle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_error_codes_are_kept() {
    let (base_url, handle) = serve_fixed(
        503,
        r#"{"errorCode":"someNewError","details":"new","extra":{"x":1}}"#,
    );
    let client = BankIdClient::new(&ClientConfig::new(base_url)).unwrap();
    let error = client.collect("x").await.unwrap_err();
    match &error {
        BankIdError::Api {
            status,
            code,
            details,
            endpoint,
        } => {
            assert_eq!(*status, 503);
            assert_eq!(*code, ErrorCode::Unknown("someNewError".to_owned()));
            assert_eq!(details, "new");
            assert_eq!(*endpoint, "collect");
        }
        other => panic!("expected an API error, got {other:?}"),
    }
    assert!(error.is_retryable());
    handle.stop(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn non_bankid_error_bodies_are_reported() {
    let (base_url, handle) = serve_fixed(502, "<html>Bad gateway</html>");
    let client = BankIdClient::new(&ClientConfig::new(base_url)).unwrap();
    let error = client.cancel("x").await.unwrap_err();
    assert!(
        matches!(error, BankIdError::UnexpectedResponse { status: 502, .. }),
        "{error:?}"
    );
    assert!(error.is_retryable());
    handle.stop(false).await;

    let (base_url, handle) = serve_fixed(200, r#"{"orderRef":"x"}"#);
    let client = BankIdClient::new(&ClientConfig::new(base_url)).unwrap();
    let error = client.collect("x").await.unwrap_err();
    assert!(
        matches!(error, BankIdError::UnexpectedResponse { status: 200, .. }),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    handle.stop(false).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn silent_server_times_out() {
    // The listener accepts connections but never responds.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let accept = tokio::spawn(async move {
        let mut connections = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            connections.push(stream);
        }
    });
    let config = ClientConfig {
        read_timeout: Duration::from_millis(300),
        ..ClientConfig::new(format!("http://{address}"))
    };
    let client = BankIdClient::new(&config).unwrap();
    let started = std::time::Instant::now();
    let error = client.collect("x").await.unwrap_err();
    assert!(
        matches!(
            error,
            BankIdError::Timeout {
                endpoint: "collect",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5));
    accept.abort();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn refused_connection_is_retryable() {
    let address = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap()
    };
    let client = BankIdClient::new(&ClientConfig::new(format!("http://{address}"))).unwrap();
    let error = client.collect("x").await.unwrap_err();
    assert!(matches!(error, BankIdError::Transport { .. }), "{error:?}");
    assert!(error.is_retryable());
}
