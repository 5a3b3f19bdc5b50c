//! The virtual app: the user's side of an order, as methods and as a JSON API under
//! `{prefix}/app/api/`.
//!
//! | request | action |
//! |---|---|
//! | `POST open-auto-start` `{"autoStartToken"}` | open an order as a launch link would |
//! | `POST scan-qr-code` `{"qrCode"}` | open an order by its animated QR code |
//! | `POST open-phone-order` `{"personalNumber"}` | open the pending phone order of a person |
//! | `GET orders/{orderRef}` | show an order |
//! | `POST orders/{orderRef}/start-signing` `{"personalNumber"?, "givenName"?, "surname"?}` | choose the identity; hint `userSign` |
//! | `POST orders/{orderRef}/approve` (same body) | complete the order |
//! | `POST orders/{orderRef}/cancel` | fail with `userCancel` |
//! | `POST orders/{orderRef}/fail` `{"hintCode"}` | fail with any hint code |
//! | `POST orders/{orderRef}/hint` `{"hintCode"}` | set any pending hint code |
//! | `POST faults` `{"fault"}` | force the next RP response (`requestTimeout`, `internalError`, `maintenance`, `alreadyInProgress`) |
//!
//! Responses contain the order as [`AppOrderView`], or `{"error", "message"}` with HTTP 400,
//! 404 or 409.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use incert_domain::Personnummer;
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::json;

use crate::codes::{CollectStatus, HintCode};
use crate::qr::qr_auth_code;

use super::order::{Order, OrderKind, OrderState};
use super::{Fault, SimulatedUser, Simulator};

/// An order as the virtual app shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AppOrderView {
    pub order_ref: String,
    pub kind: OrderKind,
    pub status: CollectStatus,
    pub hint_code: Option<HintCode>,
    /// `userVisibleData` decoded.
    pub user_visible_text: Option<String>,
    pub user_visible_data_format: Option<String>,
    /// The only person who may complete the order, if the relying party named one.
    pub required_personal_number: Option<Personnummer>,
    pub requires_mrtd: bool,
    /// Identity chosen so far.
    pub user: Option<SimulatedUser>,
}

/// Identity the user picks in the virtual app. Missing or empty fields fall back to the
/// identity chosen earlier, then to the order's required personal number, then to
/// [`super::SimulatorConfig::default_user`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UserChoice {
    /// Personal number in any form [`Personnummer::parse_default`] accepts.
    pub personal_number: Option<String>,
    pub given_name: Option<String>,
    pub surname: Option<String>,
}

/// A user action the order's state does not allow, or invalid input.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AppError {
    #[error("no pending order matches this {0}")]
    OrderNotFound(&'static str),
    #[error("invalid QR code: {0}")]
    InvalidQrCode(&'static str),
    #[error(
        "the QR code is {age_seconds} s old, more than the maximum {max_seconds} s; scan the current code"
    )]
    QrCodeTooOld { age_seconds: i64, max_seconds: i64 },
    #[error("the order is already open in an app")]
    AlreadyOpened,
    #[error(
        "the order is not open in the app yet; open it by autostart token, QR code or personal number first"
    )]
    NotOpened,
    #[error("the order has already ended with status {0}")]
    NotPending(&'static str),
    #[error("only the person with personal number {required} may complete this order")]
    WrongPerson { required: String },
    #[error("invalid {field}: {reason}")]
    InvalidInput { field: &'static str, reason: String },
}

impl AppError {
    /// Returns a stable machine code for the JSON API.
    pub fn code(&self) -> &'static str {
        match self {
            Self::OrderNotFound(_) => "order_not_found",
            Self::InvalidQrCode(_) => "invalid_qr_code",
            Self::QrCodeTooOld { .. } => "qr_code_too_old",
            Self::AlreadyOpened => "already_opened",
            Self::NotOpened => "not_opened",
            Self::NotPending(_) => "not_pending",
            Self::WrongPerson { .. } => "wrong_person",
            Self::InvalidInput { .. } => "invalid_input",
        }
    }

    fn http_status(&self) -> StatusCode {
        match self {
            Self::OrderNotFound(_) => StatusCode::NOT_FOUND,
            Self::InvalidQrCode(_) | Self::QrCodeTooOld { .. } | Self::InvalidInput { .. } => {
                StatusCode::BAD_REQUEST
            }
            Self::AlreadyOpened
            | Self::NotOpened
            | Self::NotPending(_)
            | Self::WrongPerson { .. } => StatusCode::CONFLICT,
        }
    }
}

impl Simulator {
    /// Opens the order with `auto_start_token`, as the app does when a launch link starts it.
    pub fn open_auto_start(&self, auto_start_token: &str) -> Result<AppOrderView, AppError> {
        self.open_matching("autostart token", |order| {
            order
                .tokens
                .as_ref()
                .is_some_and(|tokens| tokens.auto_start_token == auto_start_token)
        })
    }

    /// Opens the order whose animated QR code is `qr_code`
    /// (`bankid.{qrStartToken}.{seconds}.{hmac}`).
    ///
    /// The code is accepted when its HMAC is valid for the order's `qrStartSecret`, its second
    /// is not ahead of the order's age by more than one second (clock rounding), and it is at
    /// most [`super::SimulatorConfig::qr_max_age`] old.
    pub fn scan_qr_code(&self, qr_code: &str) -> Result<AppOrderView, AppError> {
        let parts: Vec<&str> = qr_code.trim().split('.').collect();
        let [prefix, token, seconds, auth_code] = parts.as_slice() else {
            return Err(AppError::InvalidQrCode(
                "expected bankid.{qrStartToken}.{seconds}.{hmac}",
            ));
        };
        if *prefix != "bankid" {
            return Err(AppError::InvalidQrCode(
                "the code does not start with bankid.",
            ));
        }
        let seconds: u64 = seconds
            .parse()
            .map_err(|_| AppError::InvalidQrCode("the seconds are not a whole number"))?;
        let max_age = i64::try_from(self.inner.config.qr_max_age.as_secs()).unwrap_or(i64::MAX);

        self.with_order_matching(
            "QR code",
            |order| {
                order
                    .tokens
                    .as_ref()
                    .is_some_and(|tokens| tokens.qr_start_token == *token)
            },
            |order, context| {
                let Some(tokens) = &order.tokens else {
                    return Err(AppError::OrderNotFound("QR code"));
                };
                if qr_auth_code(tokens.qr_start_secret.expose(), seconds) != *auth_code {
                    return Err(AppError::InvalidQrCode(
                        "the authentication code does not match the order",
                    ));
                }
                let age = (context.now - order.created_at).num_seconds();
                let code_second = i64::try_from(seconds).unwrap_or(i64::MAX);
                if code_second > age.saturating_add(1) {
                    return Err(AppError::InvalidQrCode(
                        "the code's time lies after the current time",
                    ));
                }
                let code_age = age - code_second;
                if code_age > max_age {
                    return Err(AppError::QrCodeTooOld {
                        age_seconds: code_age,
                        max_seconds: max_age,
                    });
                }
                open(order)
            },
        )
    }

    /// Opens the pending phone order for `personal_number`, as the app does when the user
    /// starts it during the call.
    pub fn open_phone_order(&self, personal_number: &str) -> Result<AppOrderView, AppError> {
        let number = parse_personal_number(personal_number, self.now())?;
        self.open_matching("personal number", |order| {
            order.kind.is_phone() && order.request.bound_personal_number == Some(number)
        })
    }

    /// Returns the order as the app shows it.
    pub fn app_order(&self, order_ref: &str) -> Result<AppOrderView, AppError> {
        self.with_order(order_ref, |_, _| Ok(()))
    }

    /// Stores the chosen identity and moves the order to `userSign`, as when the user is
    /// asked for the security code.
    pub fn start_signing(
        &self,
        order_ref: &str,
        choice: &UserChoice,
    ) -> Result<AppOrderView, AppError> {
        self.with_order(order_ref, |order, context| {
            require_opened(order)?;
            let user = resolve_user(order, choice, context)?;
            order.user = Some(user);
            order.state = OrderState::Pending(HintCode::UserSign);
            Ok(())
        })
    }

    /// Completes the order for the chosen identity. `device_ip` becomes
    /// `completionData.device.ipAddress`.
    pub fn approve(
        &self,
        order_ref: &str,
        choice: &UserChoice,
        device_ip: &str,
    ) -> Result<AppOrderView, AppError> {
        self.with_order(order_ref, |order, context| {
            require_opened(order)?;
            let user = resolve_user(order, choice, context)?;
            order.complete(&user, device_ip, context.now);
            tracing::info!(order_ref = %order.order_ref, "simulated BankID order completed");
            Ok(())
        })
    }

    /// Fails the order with `userCancel`, as when the user presses Cancel in the app.
    pub fn cancel_in_app(&self, order_ref: &str) -> Result<AppOrderView, AppError> {
        self.fail_order(order_ref, HintCode::UserCancel)
    }

    /// Fails the pending order with `hint_code`, which may be any code, unknown ones included.
    pub fn fail_order(
        &self,
        order_ref: &str,
        hint_code: HintCode,
    ) -> Result<AppOrderView, AppError> {
        self.with_order(order_ref, |order, _| {
            require_pending(order)?;
            order.state = OrderState::Failed(hint_code);
            Ok(())
        })
    }

    /// Sets the hint code of the pending order, which may be any code, unknown ones included.
    pub fn set_pending_hint(
        &self,
        order_ref: &str,
        hint_code: HintCode,
    ) -> Result<AppOrderView, AppError> {
        self.with_order(order_ref, |order, _| {
            require_pending(order)?;
            order.state = OrderState::Pending(hint_code);
            Ok(())
        })
    }

    fn open_matching(
        &self,
        key: &'static str,
        matches: impl Fn(&Order) -> bool,
    ) -> Result<AppOrderView, AppError> {
        self.with_order_matching(key, matches, |order, _| open(order))
    }

    fn with_order(
        &self,
        order_ref: &str,
        action: impl FnOnce(&mut Order, &ActionContext<'_>) -> Result<(), AppError>,
    ) -> Result<AppOrderView, AppError> {
        self.with_order_matching("orderRef", |order| order.order_ref == order_ref, action)
    }

    /// Runs `action` on the first order that `matches`, after applying the time limits.
    fn with_order_matching(
        &self,
        key: &'static str,
        matches: impl Fn(&Order) -> bool,
        action: impl FnOnce(&mut Order, &ActionContext<'_>) -> Result<(), AppError>,
    ) -> Result<AppOrderView, AppError> {
        let now = self.now();
        let limits = self.limits();
        let mut state = self.lock();
        Self::refresh(&mut state, now, limits);
        let order = state
            .orders
            .values_mut()
            .find(|order| matches(order))
            .ok_or(AppError::OrderNotFound(key))?;
        let context = ActionContext {
            now,
            default_user: &self.inner.config.default_user,
        };
        action(order, &context)?;
        Ok(view(order))
    }
}

/// Context of a user action besides the order: the time and the default identity.
struct ActionContext<'a> {
    now: DateTime<Utc>,
    default_user: &'a SimulatedUser,
}

fn view(order: &Order) -> AppOrderView {
    let response = order.collect_response();
    AppOrderView {
        order_ref: order.order_ref.clone(),
        kind: order.kind,
        status: response.status,
        hint_code: response.hint_code,
        user_visible_text: order.request.user_visible_text.clone(),
        user_visible_data_format: order.request.user_visible_data_format.clone(),
        required_personal_number: order.request.bound_personal_number,
        requires_mrtd: order.request.requires_mrtd,
        user: order.user.clone(),
    }
}

fn require_pending(order: &Order) -> Result<&HintCode, AppError> {
    match &order.state {
        OrderState::Pending(hint) => Ok(hint),
        OrderState::Failed(_) => Err(AppError::NotPending("failed")),
        OrderState::Complete(_) => Err(AppError::NotPending("complete")),
    }
}

fn require_opened(order: &Order) -> Result<(), AppError> {
    match require_pending(order)? {
        HintCode::OutstandingTransaction | HintCode::NoClient => Err(AppError::NotOpened),
        _ => Ok(()),
    }
}

/// Moves a waiting order to the hint code of an opened one.
fn open(order: &mut Order) -> Result<(), AppError> {
    match require_pending(order)? {
        HintCode::OutstandingTransaction | HintCode::NoClient => {
            order.state = OrderState::Pending(order.opened_hint());
            tracing::info!(order_ref = %order.order_ref, "simulated BankID order opened in the app");
            Ok(())
        }
        _ => Err(AppError::AlreadyOpened),
    }
}

fn resolve_user(
    order: &Order,
    choice: &UserChoice,
    context: &ActionContext<'_>,
) -> Result<SimulatedUser, AppError> {
    let fallback = order.user.clone().unwrap_or_else(|| {
        let mut user = context.default_user.clone();
        if let Some(required) = order.request.bound_personal_number {
            user.personal_number = required;
        }
        user
    });
    let personal_number = match non_empty(choice.personal_number.as_deref()) {
        Some(input) => parse_personal_number(input, context.now)?,
        None => fallback.personal_number,
    };
    if let Some(required) = order.request.bound_personal_number
        && required != personal_number
    {
        return Err(AppError::WrongPerson {
            required: required.masked(),
        });
    }
    Ok(SimulatedUser {
        personal_number,
        given_name: non_empty(choice.given_name.as_deref())
            .map_or(fallback.given_name, str::to_owned),
        surname: non_empty(choice.surname.as_deref()).map_or(fallback.surname, str::to_owned),
    })
}

fn non_empty(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

fn parse_personal_number(input: &str, now: DateTime<Utc>) -> Result<Personnummer, AppError> {
    Personnummer::parse_default(input, today_in_sweden(now)).map_err(|error| {
        AppError::InvalidInput {
            field: "personalNumber",
            reason: error.to_string(),
        }
    })
}

/// Returns the date in Sweden at `now` without a time-zone database, taking UTC+2 (summer
/// time) all year. In winter this can be a day ahead between 22:00 and 23:00 UTC, which only
/// lets the future-birth-date check of a personal number pass one day early.
fn today_in_sweden(now: DateTime<Utc>) -> NaiveDate {
    (now + TimeDelta::hours(2)).date_naive()
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct AutoStartBody {
    auto_start_token: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct QrCodeBody {
    qr_code: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PhoneBody {
    personal_number: String,
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct HintBody {
    hint_code: String,
}

#[derive(Debug, Deserialize)]
struct FaultBody {
    fault: Fault,
}

/// Registers the JSON API and the page of the virtual app on `scope`.
pub(crate) fn register(scope: actix_web::Scope) -> actix_web::Scope {
    scope
        .route("/app", web::get().to(super::page::app_page))
        .route("/app/api/open-auto-start", web::post().to(open_auto_start))
        .route("/app/api/scan-qr-code", web::post().to(scan_qr_code))
        .route(
            "/app/api/open-phone-order",
            web::post().to(open_phone_order),
        )
        .route("/app/api/orders/{order_ref}", web::get().to(show_order))
        .route(
            "/app/api/orders/{order_ref}/start-signing",
            web::post().to(start_signing),
        )
        .route(
            "/app/api/orders/{order_ref}/approve",
            web::post().to(approve),
        )
        .route("/app/api/orders/{order_ref}/cancel", web::post().to(cancel))
        .route("/app/api/orders/{order_ref}/fail", web::post().to(fail))
        .route("/app/api/orders/{order_ref}/hint", web::post().to(set_hint))
        .route("/app/api/faults", web::post().to(force_fault))
}

fn view_response(result: Result<AppOrderView, AppError>) -> HttpResponse {
    match result {
        Ok(view) => HttpResponse::Ok().json(view),
        Err(error) => error_response(&error),
    }
}

fn error_response(error: &AppError) -> HttpResponse {
    tracing::info!(error_code = error.code(), %error, "virtual app action rejected");
    HttpResponse::build(error.http_status())
        .json(json!({ "error": error.code(), "message": error.to_string() }))
}

/// Parses a JSON body; an empty body counts as `{}`.
fn parse_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, AppError> {
    let body = if body.iter().all(u8::is_ascii_whitespace) {
        b"{}".as_slice()
    } else {
        body
    };
    serde_json::from_slice(body).map_err(|error| AppError::InvalidInput {
        field: "request body",
        reason: super::redact_json_error(&error),
    })
}

async fn open_auto_start(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    view_response(
        parse_body::<AutoStartBody>(&body)
            .and_then(|body| simulator.open_auto_start(&body.auto_start_token)),
    )
}

async fn scan_qr_code(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    view_response(
        parse_body::<QrCodeBody>(&body).and_then(|body| simulator.scan_qr_code(&body.qr_code)),
    )
}

async fn open_phone_order(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    view_response(
        parse_body::<PhoneBody>(&body)
            .and_then(|body| simulator.open_phone_order(&body.personal_number)),
    )
}

async fn show_order(simulator: web::Data<Simulator>, path: web::Path<String>) -> HttpResponse {
    view_response(simulator.app_order(&path))
}

async fn start_signing(
    simulator: web::Data<Simulator>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    view_response(
        parse_body::<UserChoice>(&body).and_then(|choice| simulator.start_signing(&path, &choice)),
    )
}

async fn approve(
    simulator: web::Data<Simulator>,
    path: web::Path<String>,
    request: HttpRequest,
    body: web::Bytes,
) -> HttpResponse {
    let device_ip = request.peer_addr().map_or_else(
        || "127.0.0.1".to_owned(),
        |address| address.ip().to_string(),
    );
    view_response(
        parse_body::<UserChoice>(&body)
            .and_then(|choice| simulator.approve(&path, &choice, &device_ip)),
    )
}

async fn cancel(simulator: web::Data<Simulator>, path: web::Path<String>) -> HttpResponse {
    view_response(simulator.cancel_in_app(&path))
}

async fn fail(
    simulator: web::Data<Simulator>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    view_response(
        parse_body::<HintBody>(&body)
            .and_then(|body| simulator.fail_order(&path, HintCode::parse(&body.hint_code))),
    )
}

async fn set_hint(
    simulator: web::Data<Simulator>,
    path: web::Path<String>,
    body: web::Bytes,
) -> HttpResponse {
    view_response(
        parse_body::<HintBody>(&body)
            .and_then(|body| simulator.set_pending_hint(&path, HintCode::parse(&body.hint_code))),
    )
}

async fn force_fault(simulator: web::Data<Simulator>, body: web::Bytes) -> HttpResponse {
    match parse_body::<FaultBody>(&body) {
        Ok(body) => {
            simulator.force_next_fault(body.fault);
            HttpResponse::NoContent().finish()
        }
        Err(error) => error_response(&error),
    }
}
