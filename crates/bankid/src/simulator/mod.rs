//! A simulator of the BankID RP API v6.0 for development and tests.
//!
//! [`Simulator::scope`] returns an actix-web scope to mount under a path prefix. Under it,
//! `POST {prefix}/rp/v6.0/{auth,sign,phone/auth,phone/sign,collect,cancel}` speak BankID's
//! wire protocol, and `{prefix}/app` is a "virtual app": an HTML page and a JSON API under
//! `{prefix}/app/api/` with which a person or a test acts as the user. The same user actions are
//! available as methods ([`Simulator::open_auto_start`], [`Simulator::approve`], …) for tests
//! that run the simulator in-process.
//!
//! Orders live in memory behind a mutex. Nothing is signed: `signature` and `ocspResponse` are
//! base64 placeholders. The simulator has no authentication, so it must never be mounted in a
//! production server.

mod app;
pub mod clock;
mod order;
mod page;
mod rp;
mod validate;

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};
use incert_domain::Personnummer;
use serde::Serialize;

pub use app::{AppError, AppOrderView, UserChoice};
pub use clock::{Clock, ManualClock, SystemClock};
pub use order::OrderKind;

use order::{Limits, Order};

/// Settings of a [`Simulator`].
#[derive(Debug, Clone)]
pub struct SimulatorConfig {
    /// Time within which an app must fetch an auth or sign order before it fails with
    /// `startFailed`. Phone orders have no start timeout.
    pub start_timeout: Duration,
    /// Time after which a pending order fails with `expiredTransaction`.
    pub order_lifetime: Duration,
    /// Maximum age of a scanned QR code, counted from the second encoded in it to the scan.
    pub qr_max_age: Duration,
    /// Share of RP API requests that get an injected error response.
    pub fault_rates: FaultRates,
    /// Whether `phone/auth` and `phone/sign` are allowed; when not, they return `unauthorized`.
    pub phone_enabled: bool,
    /// Identity the virtual app uses when the user chooses none.
    pub default_user: SimulatedUser,
}

impl SimulatorConfig {
    /// Default start timeout: 30 seconds.
    pub const DEFAULT_START_TIMEOUT: Duration = Duration::from_secs(30);
    /// Default order lifetime: 180 seconds.
    pub const DEFAULT_ORDER_LIFETIME: Duration = Duration::from_secs(180);
    /// Default maximum QR code age: 10 seconds. The animated code changes every second; the
    /// margin leaves a person time to copy the code into the virtual app page.
    pub const DEFAULT_QR_MAX_AGE: Duration = Duration::from_secs(10);
}

impl Default for SimulatorConfig {
    fn default() -> Self {
        Self {
            start_timeout: Self::DEFAULT_START_TIMEOUT,
            order_lifetime: Self::DEFAULT_ORDER_LIFETIME,
            qr_max_age: Self::DEFAULT_QR_MAX_AGE,
            fault_rates: FaultRates::default(),
            phone_enabled: true,
            default_user: SimulatedUser::default(),
        }
    }
}

/// A person as the virtual app presents them to BankID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SimulatedUser {
    pub personal_number: Personnummer,
    pub given_name: String,
    pub surname: String,
}

impl Default for SimulatedUser {
    /// Returns a test person with the often published example number 19811218-9876.
    fn default() -> Self {
        let personal_number = match Personnummer::from_canonical("198112189876") {
            Ok(number) => number,
            Err(_) => unreachable!("198112189876 has a valid date and check digit"),
        };
        Self {
            personal_number,
            given_name: "Tess".to_owned(),
            surname: "Testsson".to_owned(),
        }
    }
}

/// Probabilities, each from 0.0 to 1.0, that an RP API request gets an injected error instead
/// of its real response. They are checked in the order of the fields, and values outside the
/// range are clamped.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct FaultRates {
    /// HTTP 408 `requestTimeout`.
    pub request_timeout: f64,
    /// HTTP 500 `internalError`.
    pub internal_error: f64,
    /// HTTP 503 `maintenance`.
    pub maintenance: f64,
    /// HTTP 400 `alreadyInProgress`; only for requests that create an order.
    pub already_in_progress: f64,
}

/// An error response injected into the RP API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Fault {
    /// HTTP 408 `requestTimeout`.
    RequestTimeout,
    /// HTTP 500 `internalError`.
    InternalError,
    /// HTTP 503 `maintenance`.
    Maintenance,
    /// HTTP 400 `alreadyInProgress`.
    AlreadyInProgress,
}

/// RP API endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Endpoint {
    Auth,
    Sign,
    PhoneAuth,
    PhoneSign,
    Collect,
    Cancel,
}

impl Endpoint {
    pub(crate) const ALL: [Self; 6] = [
        Self::Auth,
        Self::Sign,
        Self::PhoneAuth,
        Self::PhoneSign,
        Self::Collect,
        Self::Cancel,
    ];

    pub(crate) fn path(self) -> &'static str {
        match self {
            Self::Auth => "auth",
            Self::Sign => "sign",
            Self::PhoneAuth => "phone/auth",
            Self::PhoneSign => "phone/sign",
            Self::Collect => "collect",
            Self::Cancel => "cancel",
        }
    }

    pub(crate) fn creates_order(self) -> bool {
        !matches!(self, Self::Collect | Self::Cancel)
    }
}

/// The BankID simulator. Clones share the same orders.
#[derive(Debug, Clone)]
pub struct Simulator {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    config: SimulatorConfig,
    clock: Arc<dyn Clock>,
    state: Mutex<State>,
}

#[derive(Debug, Default)]
struct State {
    orders: HashMap<String, Order>,
    forced_faults: VecDeque<Fault>,
}

/// Orders whose final status was never collected are dropped this long after their lifetime.
const ABANDONED_ORDER_GRACE: TimeDelta = TimeDelta::minutes(10);

impl Simulator {
    /// Creates a simulator on the system clock.
    pub fn new(config: SimulatorConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// Creates a simulator on `clock`.
    pub fn with_clock(config: SimulatorConfig, clock: Arc<dyn Clock>) -> Self {
        Self {
            inner: Arc::new(Inner {
                config,
                clock,
                state: Mutex::new(State::default()),
            }),
        }
    }

    /// Returns an actix-web scope with the RP API and the virtual app under `prefix`, for
    /// example `App::new().service(simulator.scope("/bankid-sim"))`. The client's base URL is
    /// then `http://{address}/bankid-sim`. Unknown paths under the prefix get HTTP 404 with
    /// error code `notFound`.
    pub fn scope(&self, prefix: &str) -> actix_web::Scope {
        let scope = actix_web::web::scope(prefix).app_data(actix_web::web::Data::new(self.clone()));
        let scope = rp::register(scope);
        let scope = app::register(scope);
        scope.default_service(actix_web::web::to(rp::not_found))
    }

    pub fn config(&self) -> &SimulatorConfig {
        &self.inner.config
    }

    /// Makes the next RP API request, of any endpoint, fail with `fault`. Several calls queue
    /// up in order, ahead of the random faults of [`FaultRates`].
    pub fn force_next_fault(&self, fault: Fault) {
        self.lock().forced_faults.push_back(fault);
    }

    /// Returns the number of orders held, final ones not yet collected included.
    pub fn order_count(&self) -> usize {
        self.lock().orders.len()
    }

    fn now(&self) -> DateTime<Utc> {
        self.inner.clock.now()
    }

    fn limits(&self) -> Limits {
        let config = &self.inner.config;
        Limits {
            start_timeout: to_time_delta(config.start_timeout),
            order_lifetime: to_time_delta(config.order_lifetime),
        }
    }

    /// Locks the state. A panic in another request cannot leave the maps half-changed, so a
    /// poisoned lock is used as it is.
    fn lock(&self) -> MutexGuard<'_, State> {
        self.inner
            .state
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Applies the time limits to every order and drops abandoned final orders.
    fn refresh(state: &mut State, now: DateTime<Utc>, limits: Limits) {
        let keep_until = limits.order_lifetime + ABANDONED_ORDER_GRACE;
        state
            .orders
            .retain(|_, order| now - order.created_at < keep_until);
        for order in state.orders.values_mut() {
            order.apply_time_limits(now, limits);
        }
    }

    /// Takes the next forced fault, or draws a random one.
    fn take_fault(&self, endpoint: Endpoint) -> Option<Fault> {
        if let Some(fault) = self.lock().forced_faults.pop_front() {
            return Some(fault);
        }
        let rates = self.inner.config.fault_rates;
        let candidates = [
            (Fault::RequestTimeout, rates.request_timeout),
            (Fault::InternalError, rates.internal_error),
            (Fault::Maintenance, rates.maintenance),
            (Fault::AlreadyInProgress, rates.already_in_progress),
        ];
        candidates.into_iter().find_map(|(fault, rate)| {
            let applies = fault != Fault::AlreadyInProgress || endpoint.creates_order();
            let rate = if rate.is_nan() {
                0.0
            } else {
                rate.clamp(0.0, 1.0)
            };
            (applies && rate > 0.0 && rand::random::<f64>() < rate).then_some(fault)
        })
    }
}

/// Formats a JSON parse error without the values serde_json quotes in backticks, because a
/// rejected value may be a personal number and the message is logged.
fn redact_json_error(error: &serde_json::Error) -> String {
    let message = error.to_string();
    let mut redacted = String::with_capacity(message.len());
    for (index, part) in message.split('`').enumerate() {
        redacted.push_str(if index % 2 == 1 { "…" } else { part });
    }
    redacted
}

fn to_time_delta(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_hide_rejected_values() {
        let error =
            serde_json::from_str::<crate::wire::OrderBody>(r#"{"personalNumber":191212121212}"#)
                .err();
        let message = error.as_ref().map(redact_json_error).unwrap_or_default();
        assert!(message.starts_with("invalid type: integer …"), "{message}");
        assert!(!message.contains("191212121212"), "{message}");
    }
}
