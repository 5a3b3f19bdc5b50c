//! Injected faults and their mapping to retryable client errors.

use incert_bankid::messages::Rfa;
use incert_bankid::simulator::{Fault, FaultRates, SimulatorConfig};
use incert_bankid::{AuthRequest, BankIdError, CollectStatus, ErrorCode};
use serde_json::json;

use crate::helpers::{TestSimulator, end_user_ip};

fn api_error(error: &BankIdError) -> (u16, &ErrorCode) {
    match error {
        BankIdError::Api { status, code, .. } => (*status, code),
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_faults_map_to_retryable_errors() {
    let test = TestSimulator::start().await;
    let order = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();

    let cases = [
        (Fault::Maintenance, 503, ErrorCode::Maintenance),
        (Fault::InternalError, 500, ErrorCode::InternalError),
        (Fault::RequestTimeout, 408, ErrorCode::RequestTimeout),
    ];
    for (fault, expected_status, expected_code) in cases {
        test.simulator.force_next_fault(fault);
        let error = test.client.collect(&order.order_ref).await.unwrap_err();
        let (status, code) = api_error(&error);
        assert_eq!(status, expected_status, "{fault:?}");
        assert_eq!(*code, expected_code, "{fault:?}");
        assert!(error.is_retryable(), "{fault:?}");
        assert_eq!(Rfa::for_error(&error), Rfa::Rfa5, "{fault:?}");
    }

    // The order is untouched by the faults, and the retry succeeds.
    let response = test.client.collect(&order.order_ref).await.unwrap();
    assert_eq!(response.status, CollectStatus::Pending);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forced_faults_queue_in_order() {
    let test = TestSimulator::start().await;
    test.simulator.force_next_fault(Fault::AlreadyInProgress);
    test.simulator.force_next_fault(Fault::Maintenance);

    let first = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap_err();
    assert_eq!(api_error(&first), (400, &ErrorCode::AlreadyInProgress));
    assert!(!first.is_retryable());
    assert_eq!(Rfa::for_error(&first), Rfa::Rfa4);

    let second = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap_err();
    assert_eq!(api_error(&second), (503, &ErrorCode::Maintenance));

    test.client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap();
    assert_eq!(test.simulator.order_count(), 1);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn faults_can_be_forced_over_http() {
    let test = TestSimulator::start().await;
    let (status, _) = test
        .post_app("faults", &json!({ "fault": "internalError" }))
        .await;
    assert_eq!(status, 204);
    let error = test.client.collect("any").await.unwrap_err();
    assert_eq!(api_error(&error), (500, &ErrorCode::InternalError));

    let (status, body) = test
        .post_app("faults", &json!({ "fault": "nonsense" }))
        .await;
    assert_eq!(status, 400, "{body}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fault_rate_one_fails_every_request() {
    let config = SimulatorConfig {
        fault_rates: FaultRates {
            maintenance: 1.0,
            ..FaultRates::default()
        },
        ..SimulatorConfig::default()
    };
    let test = TestSimulator::start_with(config).await;
    for _ in 0..5 {
        let error = test
            .client
            .auth(&AuthRequest::new(end_user_ip()))
            .await
            .unwrap_err();
        assert_eq!(api_error(&error), (503, &ErrorCode::Maintenance));
    }
    assert_eq!(test.simulator.order_count(), 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn already_in_progress_rate_spares_collect() {
    let config = SimulatorConfig {
        fault_rates: FaultRates {
            already_in_progress: 1.0,
            ..FaultRates::default()
        },
        ..SimulatorConfig::default()
    };
    let test = TestSimulator::start_with(config).await;
    let error = test
        .client
        .auth(&AuthRequest::new(end_user_ip()))
        .await
        .unwrap_err();
    assert_eq!(api_error(&error), (400, &ErrorCode::AlreadyInProgress));

    let error = test.client.collect("unknown").await.unwrap_err();
    assert_eq!(api_error(&error), (400, &ErrorCode::InvalidParameters));
}
