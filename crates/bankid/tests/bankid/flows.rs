//! Orders from start to end: the client talks HTTP to the simulator, and the tests act as the
//! user through the virtual app's JSON API or its methods.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use incert_bankid::qr::{AnimatedQr, qr_code_data};
use incert_bankid::simulator::{Clock as _, SimulatorConfig, UserChoice};
use incert_bankid::{
    AuthRequest, BankIdError, CallInitiator, CollectStatus, ErrorCode, HintCode, PhoneAuthRequest,
    PhoneSignRequest, Requirement, RiskLevel, SignRequest,
};
use serde_json::json;

use crate::helpers::{TestSimulator, end_user_ip, person_a, person_b};

async fn collect_hint(test: &TestSimulator, order_ref: &str) -> (CollectStatus, Option<HintCode>) {
    let response = test.client.collect(order_ref).await.unwrap();
    assert_eq!(response.order_ref, order_ref);
    (response.status, response.hint_code)
}

fn assert_no_such_order(error: &BankIdError) {
    match error {
        BankIdError::Api {
            status,
            code,
            details,
            ..
        } => {
            assert_eq!(*status, 400);
            assert_eq!(*code, ErrorCode::InvalidParameters);
            assert_eq!(details, "No such order");
        }
        other => panic!("expected invalidParameters, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_by_qr_code_completes() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    let created_at = test.clock.now();
    let qr = AnimatedQr::new(&order, created_at);

    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);
    assert_eq!(hint, Some(HintCode::OutstandingTransaction));

    test.advance(3);
    let qr_code = qr.data_at(test.clock.now());
    assert!(qr_code.starts_with(&format!("bankid.{}.3.", order.qr_start_token)));
    let (status, view) = test
        .post_app("scan-qr-code", &json!({ "qrCode": qr_code }))
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["hintCode"], "started");
    assert_eq!(view["kind"], "auth");

    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);
    assert_eq!(hint, Some(HintCode::Started));

    let identity =
        json!({ "personalNumber": "19121212-1212", "givenName": "Anna", "surname": "Andersson" });
    let path = format!("orders/{}/start-signing", order.order_ref);
    let (status, view) = test.post_app(&path, &identity).await;
    assert_eq!(status, 200, "{view}");
    let (_, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(hint, Some(HintCode::UserSign));

    let path = format!("orders/{}/approve", order.order_ref);
    let (status, view) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["status"], "complete");

    let response = test.client.collect(&order.order_ref).await.unwrap();
    assert_eq!(response.status, CollectStatus::Complete);
    assert_eq!(response.hint_code, None);
    let completion = response.completion_data.unwrap();
    assert_eq!(completion.user.personal_number, person_a());
    assert_eq!(completion.user.given_name, "Anna");
    assert_eq!(completion.user.surname, "Andersson");
    assert_eq!(completion.user.name, "Anna Andersson");
    assert_eq!(completion.device.ip_address, "127.0.0.1");
    assert!(completion.device.uhi.is_some());
    assert!(completion.bank_id_issue_date < Utc::now().date_naive());
    assert!(STANDARD.decode(&completion.ocsp_response).is_ok());
    assert_eq!(completion.step_up, None);
    assert_eq!(completion.risk, None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn auth_by_autostart_completes() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    let (status, view) = test
        .post_app(
            "open-auto-start",
            &json!({ "autoStartToken": order.auto_start_token }),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["orderRef"], order.order_ref.as_str());

    let path = format!("orders/{}/approve", order.order_ref);
    let (status, _) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 200);

    let response = test.client.collect(&order.order_ref).await.unwrap();
    let completion = response.completion_data.unwrap();
    let default_user = &test.simulator.config().default_user;
    assert_eq!(
        completion.user.personal_number,
        default_user.personal_number
    );
    assert_eq!(completion.user.given_name, default_user.given_name);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn final_status_is_returned_once() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    test.simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();
    test.simulator
        .approve(&order.order_ref, &UserChoice::default(), "192.0.2.99")
        .unwrap();

    let first = test.client.collect(&order.order_ref).await.unwrap();
    assert_eq!(first.status, CollectStatus::Complete);
    assert_eq!(
        first.completion_data.unwrap().device.ip_address,
        "192.0.2.99"
    );

    let second = test.client.collect(&order.order_ref).await.unwrap_err();
    assert_no_such_order(&second);
    assert!(!second.is_retryable());
    assert_eq!(test.simulator.order_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_puts_visible_data_in_signature() {
    let test = TestSimulator::start().await;
    let text = "Jag intygar att uppgifterna är riktiga.\n**Ansökan 42**";
    let mut request = SignRequest::new(end_user_ip(), text);
    request.user_visible_data_format = Some(incert_bankid::UserVisibleDataFormat::SimpleMarkdownV1);
    request.user_non_visible_data = Some(b"application-42".to_vec());
    let order = test.client.sign(&request).await.unwrap();

    let view = test
        .simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();
    assert_eq!(view.user_visible_text.as_deref(), Some(text));
    assert_eq!(
        view.user_visible_data_format.as_deref(),
        Some("simpleMarkdownV1")
    );
    test.simulator
        .approve(&order.order_ref, &UserChoice::default(), "127.0.0.1")
        .unwrap();

    let completion = test
        .client
        .collect(&order.order_ref)
        .await
        .unwrap()
        .completion_data
        .unwrap();
    let xml = completion.signature_xml().unwrap();
    assert!(xml.contains(&STANDARD.encode(text)), "{xml}");
    assert!(xml.contains(&STANDARD.encode("application-42")), "{xml}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_auth_completes_for_bound_person() {
    let test = TestSimulator::start().await;
    let request = PhoneAuthRequest::new(person_a(), CallInitiator::Rp);
    let order = test.client.phone_auth(&request).await.unwrap();

    let (status, view) = test
        .post_app(
            "open-phone-order",
            &json!({ "personalNumber": "191212121212" }),
        )
        .await;
    assert_eq!(status, 200, "{view}");
    assert_eq!(view["kind"], "phone/auth");
    let (_, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(hint, Some(HintCode::UserCallConfirm));

    test.simulator
        .approve(&order.order_ref, &UserChoice::default(), "127.0.0.1")
        .unwrap();
    let completion = test
        .client
        .collect(&order.order_ref)
        .await
        .unwrap()
        .completion_data
        .unwrap();
    assert_eq!(completion.user.personal_number, person_a());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_sign_started_by_user_call() {
    let test = TestSimulator::start().await;
    let request = PhoneSignRequest::new(person_b(), CallInitiator::User, "Godkänn ändringen");
    let order = test.client.phone_sign(&request).await.unwrap();

    let view = test.simulator.open_phone_order("19900101-2385").unwrap();
    assert_eq!(view.order_ref, order.order_ref);
    assert_eq!(view.hint_code, Some(HintCode::Started));
    assert_eq!(view.user_visible_text.as_deref(), Some("Godkänn ändringen"));

    test.simulator
        .fail_order(&order.order_ref, HintCode::UserDeclinedCall)
        .unwrap();
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(hint, Some(HintCode::UserDeclinedCall));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn phone_orders_have_no_start_timeout() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .phone_auth(&PhoneAuthRequest::new(person_a(), CallInitiator::User))
        .await
        .unwrap();
    test.advance(60);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);
    assert_eq!(hint, Some(HintCode::OutstandingTransaction));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancel_removes_order() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    test.client.cancel(&order.order_ref).await.unwrap();

    assert_no_such_order(&test.client.collect(&order.order_ref).await.unwrap_err());
    assert_no_such_order(&test.client.cancel(&order.order_ref).await.unwrap_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_cancel_fails_order() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    test.simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();

    let path = format!("orders/{}/cancel", order.order_ref);
    let (status, view) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 200, "{view}");

    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(hint, Some(HintCode::UserCancel));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unopened_order_fails_with_start_failed() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    test.advance(29);
    let (status, _) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);

    test.advance(1);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(hint, Some(HintCode::StartFailed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn start_timeout_is_configurable() {
    let config = SimulatorConfig {
        start_timeout: std::time::Duration::from_secs(5),
        ..SimulatorConfig::default()
    };
    let test = TestSimulator::start_with(config).await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    test.advance(5);
    let (_, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(hint, Some(HintCode::StartFailed));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn opened_order_expires_at_end_of_lifetime() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    test.simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();

    test.advance(179);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);
    assert_eq!(hint, Some(HintCode::Started));

    test.advance(1);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(hint, Some(HintCode::ExpiredTransaction));

    let error = test
        .simulator
        .approve(&order.order_ref, &UserChoice::default(), "127.0.0.1")
        .unwrap_err();
    assert_eq!(error.code(), "order_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn expired_order_cannot_be_approved() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    test.simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();
    test.advance(180);

    let path = format!("orders/{}/approve", order.order_ref);
    let (status, body) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "not_pending");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn second_order_for_same_person_is_rejected() {
    let test = TestSimulator::start().await;
    let mut request = AuthRequest::new(end_user_ip());
    request.requirement = Some(Requirement {
        personal_number: Some(person_a()),
        ..Requirement::default()
    });
    let first = test.client.auth(&request).await.unwrap();

    let error = test.client.auth(&request).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::AlreadyInProgress));
    assert!(!error.is_retryable());

    // BankID aborts the first order too.
    let (status, hint) = collect_hint(&test, &first.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(hint, Some(HintCode::Cancelled));

    // Once the first order has ended, a new order for the person is accepted.
    test.client.auth(&request).await.unwrap();
    let phone = PhoneAuthRequest::new(person_a(), CallInitiator::User);
    let error = test.client.phone_auth(&phone).await.unwrap_err();
    assert_eq!(error.error_code(), Some(&ErrorCode::AlreadyInProgress));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bound_order_rejects_other_person() {
    let test = TestSimulator::start().await;
    let mut request = AuthRequest::new(end_user_ip());
    request.requirement = Some(Requirement {
        personal_number: Some(person_a()),
        mrtd: Some(true),
        ..Requirement::default()
    });
    request.return_risk = true;
    let order = test.client.auth(&request).await.unwrap();
    test.simulator
        .open_auto_start(&order.auto_start_token)
        .unwrap();

    let path = format!("orders/{}/approve", order.order_ref);
    let (status, body) = test
        .post_app(&path, &json!({ "personalNumber": "199001012385" }))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "wrong_person");
    let message = body["message"].as_str().unwrap();
    assert!(message.contains("19121212-****"), "{message}");
    assert!(!message.contains("191212121212"), "{message}");

    let (status, _) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 200);
    let completion = test
        .client
        .collect(&order.order_ref)
        .await
        .unwrap()
        .completion_data
        .unwrap();
    assert_eq!(completion.user.personal_number, person_a());
    assert_eq!(
        completion.step_up.and_then(|step_up| step_up.mrtd),
        Some(true)
    );
    assert_eq!(completion.risk, Some(RiskLevel::Low));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stale_or_forged_qr_codes_are_rejected() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    test.advance(11);
    let stale = qr_code_data(&order.qr_start_token, &order.qr_start_secret, 0);
    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": stale }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "qr_code_too_old");

    let future = qr_code_data(&order.qr_start_token, &order.qr_start_secret, 20);
    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": future }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_qr_code");

    let forged = format!("bankid.{}.11.{}", order.qr_start_token, "0".repeat(64));
    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": forged }))
        .await;
    assert_eq!(status, 400, "{body}");
    assert_eq!(body["error"], "invalid_qr_code");

    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": "not a code" }))
        .await;
    assert_eq!(status, 400, "{body}");

    let current = qr_code_data(&order.qr_start_token, &order.qr_start_secret, 10);
    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": current }))
        .await;
    assert_eq!(status, 200, "{body}");

    let (status, body) = test
        .post_app("scan-qr-code", &json!({ "qrCode": current }))
        .await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "already_opened");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn app_requires_opening_before_approval() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    let path = format!("orders/{}/approve", order.order_ref);
    let (status, body) = test.post_app(&path, &json!({})).await;
    assert_eq!(status, 409, "{body}");
    assert_eq!(body["error"], "not_opened");

    let (status, body) = test
        .post_app("open-auto-start", &json!({ "autoStartToken": "unknown" }))
        .await;
    assert_eq!(status, 404, "{body}");
    assert_eq!(body["error"], "order_not_found");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_accepts_unknown_hint_codes() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    let path = format!("orders/{}/hint", order.order_ref);
    let (status, _) = test
        .post_app(&path, &json!({ "hintCode": "someFuturePendingHint" }))
        .await;
    assert_eq!(status, 200);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Pending);
    assert_eq!(
        hint,
        Some(HintCode::Unknown("someFuturePendingHint".to_owned()))
    );

    let path = format!("orders/{}/fail", order.order_ref);
    let (status, _) = test
        .post_app(&path, &json!({ "hintCode": "someFutureFailure" }))
        .await;
    assert_eq!(status, 200);
    let (status, hint) = collect_hint(&test, &order.order_ref).await;
    assert_eq!(status, CollectStatus::Failed);
    assert_eq!(
        hint,
        Some(HintCode::Unknown("someFutureFailure".to_owned()))
    );
}
