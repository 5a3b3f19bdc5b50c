//! The RP API side of the simulator: `POST {prefix}/rp/v6.0/…`.

use actix_web::http::StatusCode;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{HttpRequest, HttpResponse, web};
use serde_json::{Value, json};

use crate::codes::{ErrorCode, HintCode};
use crate::model::{OrderResponse, PhoneOrderResponse, QrStartSecret};
use crate::wire::{OrderBody, OrderRefBody};

use super::order::{Order, OrderKind, OrderState, StartTokens};
use super::validate::validate_order;
use super::{Endpoint, Fault, Simulator};

/// Status and JSON body of an RP API response.
#[derive(Debug)]
pub(crate) struct RpResponse {
    pub status: u16,
    pub body: Value,
}

impl RpResponse {
    fn ok(body: Value) -> Self {
        Self { status: 200, body }
    }

    fn error(code: ErrorCode, details: impl Into<String>) -> Self {
        Self {
            status: code.http_status(),
            body: json!({ "errorCode": code.as_str(), "details": details.into() }),
        }
    }

    fn invalid(details: impl Into<String>) -> Self {
        Self::error(ErrorCode::InvalidParameters, details)
    }

    fn into_response(self) -> HttpResponse {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        HttpResponse::build(status).json(self.body)
    }
}

/// Details text BankID-like servers send for an unknown `orderRef`.
const NO_SUCH_ORDER: &str = "No such order";

impl Simulator {
    /// Handles one RP API request whose method was already checked to be POST, and logs error
    /// responses.
    pub(crate) fn handle_rp(
        &self,
        endpoint: Endpoint,
        content_type: Option<&str>,
        body: &[u8],
    ) -> RpResponse {
        let response = self.dispatch_rp(endpoint, content_type, body);
        if response.status != 200 {
            let field = |name: &str| {
                response
                    .body
                    .get(name)
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_owned()
            };
            let error_code = field("errorCode");
            let details = field("details");
            tracing::info!(
                endpoint = endpoint.path(),
                status = response.status,
                error_code,
                details,
                "simulated BankID request rejected"
            );
        }
        response
    }

    fn dispatch_rp(
        &self,
        endpoint: Endpoint,
        content_type: Option<&str>,
        body: &[u8],
    ) -> RpResponse {
        // Only the exact value `application/json` is accepted. A charset parameter is rejected
        // too, the strictest reading of BankID's requirement.
        let is_json =
            content_type.is_some_and(|value| value.eq_ignore_ascii_case("application/json"));
        if !is_json {
            return RpResponse::error(
                ErrorCode::UnsupportedMediaType,
                "Content-Type must be exactly application/json",
            );
        }
        if let Some(fault) = self.take_fault(endpoint) {
            return fault_response(fault);
        }
        match endpoint {
            Endpoint::Auth | Endpoint::Sign | Endpoint::PhoneAuth | Endpoint::PhoneSign => {
                self.create_order(endpoint, body)
            }
            Endpoint::Collect => self.collect(body),
            Endpoint::Cancel => self.cancel(body),
        }
    }

    fn create_order(&self, endpoint: Endpoint, body: &[u8]) -> RpResponse {
        let is_phone = matches!(endpoint, Endpoint::PhoneAuth | Endpoint::PhoneSign);
        if is_phone && !self.inner.config.phone_enabled {
            return RpResponse::error(
                ErrorCode::Unauthorized,
                "this relying party may not use phone orders",
            );
        }
        let body: OrderBody = match serde_json::from_slice(body) {
            Ok(body) => body,
            Err(error) => return RpResponse::invalid(invalid_json(&error)),
        };
        let request = match validate_order(endpoint, body) {
            Ok(request) => request,
            Err(details) => return RpResponse::invalid(details),
        };

        let now = self.now();
        let limits = self.limits();
        let mut state = self.lock();
        Self::refresh(&mut state, now, limits);

        // BankID aborts the pending order of the same person and creates no new order.
        if let Some(number) = request.bound_personal_number {
            let existing = state.orders.values_mut().find(|order| {
                order.is_pending() && order.request.bound_personal_number == Some(number)
            });
            if let Some(existing) = existing {
                existing.state = OrderState::Failed(HintCode::Cancelled);
                tracing::info!(
                    cancelled_order_ref = %existing.order_ref,
                    "simulated BankID order cancelled by a new order for the same person"
                );
                return RpResponse::error(
                    ErrorCode::AlreadyInProgress,
                    "an order for this personal number is already in progress",
                );
            }
        }

        let kind = match endpoint {
            Endpoint::Sign => OrderKind::Sign,
            Endpoint::PhoneAuth => OrderKind::PhoneAuth,
            Endpoint::PhoneSign => OrderKind::PhoneSign,
            _ => OrderKind::Auth,
        };
        let tokens = (!is_phone).then(|| StartTokens {
            auto_start_token: uuid::Uuid::new_v4().to_string(),
            qr_start_token: uuid::Uuid::new_v4().to_string(),
            qr_start_secret: QrStartSecret::new(uuid::Uuid::new_v4().to_string()),
        });
        let order = Order::new(kind, request, now, tokens);
        let order_ref = order.order_ref.clone();
        let response = match &order.tokens {
            Some(tokens) => to_json(&OrderResponse {
                order_ref: order_ref.clone(),
                auto_start_token: tokens.auto_start_token.clone(),
                qr_start_token: tokens.qr_start_token.clone(),
                qr_start_secret: tokens.qr_start_secret.clone(),
            }),
            None => to_json(&PhoneOrderResponse {
                order_ref: order_ref.clone(),
            }),
        };
        state.orders.insert(order_ref.clone(), order);
        tracing::info!(
            order_ref,
            endpoint = endpoint.path(),
            "simulated BankID order created"
        );
        response
    }

    fn collect(&self, body: &[u8]) -> RpResponse {
        let order_ref = match parse_order_ref(body) {
            Ok(order_ref) => order_ref,
            Err(response) => return response,
        };
        let now = self.now();
        let limits = self.limits();
        let mut state = self.lock();
        Self::refresh(&mut state, now, limits);
        let Some(order) = state.orders.get(&order_ref) else {
            return RpResponse::invalid(NO_SUCH_ORDER);
        };
        let response = order.collect_response();
        // BankID returns a final status once and deletes the order afterwards.
        if response.is_final() {
            state.orders.remove(&order_ref);
        }
        to_json(&response)
    }

    /// Removes the order, so that collecting it afterwards fails with `invalidParameters`.
    ///
    /// NOTE: this follows the reading that BankID's `cancelled` hint code is reserved for orders
    /// replaced by a new order for the same person, not for orders the relying party cancels.
    /// It has not been checked against BankID's test environment.
    fn cancel(&self, body: &[u8]) -> RpResponse {
        let order_ref = match parse_order_ref(body) {
            Ok(order_ref) => order_ref,
            Err(response) => return response,
        };
        if self.lock().orders.remove(&order_ref).is_none() {
            return RpResponse::invalid(NO_SUCH_ORDER);
        }
        tracing::info!(
            order_ref,
            "simulated BankID order cancelled by the relying party"
        );
        RpResponse::ok(json!({}))
    }
}

fn parse_order_ref(body: &[u8]) -> Result<String, RpResponse> {
    let body: OrderRefBody =
        serde_json::from_slice(body).map_err(|error| RpResponse::invalid(invalid_json(&error)))?;
    match body.order_ref {
        Some(order_ref) if !order_ref.is_empty() => Ok(order_ref),
        _ => Err(RpResponse::invalid("orderRef is missing")),
    }
}

fn invalid_json(error: &serde_json::Error) -> String {
    format!("invalid JSON request: {}", super::redact_json_error(error))
}

fn fault_response(fault: Fault) -> RpResponse {
    match fault {
        Fault::RequestTimeout => RpResponse::error(
            ErrorCode::RequestTimeout,
            "simulated timeout while reading the request",
        ),
        Fault::InternalError => {
            RpResponse::error(ErrorCode::InternalError, "simulated internal error")
        }
        Fault::Maintenance => RpResponse::error(ErrorCode::Maintenance, "simulated maintenance"),
        Fault::AlreadyInProgress => RpResponse::error(
            ErrorCode::AlreadyInProgress,
            "simulated: an order for this personal number is already in progress",
        ),
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> RpResponse {
    match serde_json::to_value(value) {
        Ok(body) => RpResponse::ok(body),
        Err(error) => RpResponse::error(
            ErrorCode::InternalError,
            format!("cannot encode the response: {error}"),
        ),
    }
}

/// Registers the six RP API endpoints on `scope`.
pub(crate) fn register(mut scope: actix_web::Scope) -> actix_web::Scope {
    for endpoint in Endpoint::ALL {
        let handler = move |request: HttpRequest,
                            body: web::Bytes,
                            simulator: web::Data<Simulator>| async move {
            let content_type = request
                .headers()
                .get(CONTENT_TYPE)
                .and_then(|value| value.to_str().ok());
            simulator
                .handle_rp(endpoint, content_type, &body)
                .into_response()
        };
        scope = scope.service(
            web::resource(format!("/rp/v6.0/{}", endpoint.path()))
                .route(web::post().to(handler))
                .default_service(web::to(method_not_allowed)),
        );
    }
    scope
}

async fn method_not_allowed(request: HttpRequest) -> HttpResponse {
    tracing::info!(method = %request.method(), path = request.path(), "simulated BankID request rejected: method not allowed");
    RpResponse::error(ErrorCode::MethodNotAllowed, "only POST is allowed").into_response()
}

/// Responds to paths that do not exist under the simulator prefix.
pub(crate) async fn not_found(request: HttpRequest) -> HttpResponse {
    tracing::info!(method = %request.method(), path = request.path(), "simulated BankID request rejected: no such endpoint");
    RpResponse::error(ErrorCode::NotFound, "no such endpoint").into_response()
}
