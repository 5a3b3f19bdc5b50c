//! Orders held by the simulator and their life cycle.
//!
//! An auth or sign order moves `outstandingTransaction` → `started` (QR code scanned or app
//! opened) → `userSign` → `complete`, or ends `failed`. Phone orders start the same way and pass
//! `userCallConfirm` when the relying party made the call.

use base64::Engine as _;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use chrono::{DateTime, TimeDelta, Utc};
use incert_domain::Personnummer;
use serde::Serialize;
use sha2::{Digest as _, Sha256};

use crate::codes::{CollectStatus, HintCode, RiskLevel};
use crate::model::{
    CallInitiator, CollectResponse, CompletionData, CompletionDevice, CompletionUser,
    QrStartSecret, StepUp,
};

use super::SimulatedUser;
use super::validate::ValidOrder;

/// Kind of order, named after the endpoint that created it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OrderKind {
    #[serde(rename = "auth")]
    Auth,
    #[serde(rename = "sign")]
    Sign,
    #[serde(rename = "phone/auth")]
    PhoneAuth,
    #[serde(rename = "phone/sign")]
    PhoneSign,
}

impl OrderKind {
    pub(crate) fn is_phone(self) -> bool {
        matches!(self, Self::PhoneAuth | Self::PhoneSign)
    }
}

#[derive(Debug, Clone)]
pub(crate) enum OrderState {
    Pending(HintCode),
    Failed(HintCode),
    Complete(Box<CompletionData>),
}

/// Start tokens of an auth or sign order.
#[derive(Debug, Clone)]
pub(crate) struct StartTokens {
    pub auto_start_token: String,
    pub qr_start_token: String,
    pub qr_start_secret: QrStartSecret,
}

#[derive(Debug, Clone)]
pub(crate) struct Order {
    pub order_ref: String,
    pub kind: OrderKind,
    pub created_at: DateTime<Utc>,
    /// Present for auth and sign orders, absent for phone orders.
    pub tokens: Option<StartTokens>,
    pub request: ValidOrder,
    pub state: OrderState,
    /// Identity chosen in the virtual app.
    pub user: Option<SimulatedUser>,
}

/// Time limits applied to pending orders.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub start_timeout: TimeDelta,
    pub order_lifetime: TimeDelta,
}

impl Order {
    pub(crate) fn new(
        kind: OrderKind,
        request: ValidOrder,
        created_at: DateTime<Utc>,
        tokens: Option<StartTokens>,
    ) -> Self {
        Self {
            order_ref: uuid::Uuid::new_v4().to_string(),
            kind,
            created_at,
            tokens,
            request,
            state: OrderState::Pending(HintCode::OutstandingTransaction),
            user: None,
        }
    }

    /// Fails a pending order that ran out of time: `expiredTransaction` at the end of its
    /// lifetime, `startFailed` when no app fetched an auth or sign order within the start
    /// timeout.
    pub(crate) fn apply_time_limits(&mut self, now: DateTime<Utc>, limits: Limits) {
        let OrderState::Pending(hint) = &self.state else {
            return;
        };
        let age = now - self.created_at;
        if age >= limits.order_lifetime {
            self.state = OrderState::Failed(HintCode::ExpiredTransaction);
            return;
        }
        let waiting_for_app = matches!(hint, HintCode::OutstandingTransaction | HintCode::NoClient);
        if waiting_for_app && !self.kind.is_phone() && age >= limits.start_timeout {
            self.state = OrderState::Failed(HintCode::StartFailed);
        }
    }

    pub(crate) fn is_pending(&self) -> bool {
        matches!(self.state, OrderState::Pending(_))
    }

    pub(crate) fn collect_response(&self) -> CollectResponse {
        let (status, hint_code, completion_data) = match &self.state {
            OrderState::Pending(hint) => (CollectStatus::Pending, Some(hint.clone()), None),
            OrderState::Failed(hint) => (CollectStatus::Failed, Some(hint.clone()), None),
            OrderState::Complete(data) => {
                (CollectStatus::Complete, None, Some(data.as_ref().clone()))
            }
        };
        CollectResponse {
            order_ref: self.order_ref.clone(),
            status,
            hint_code,
            completion_data,
        }
    }

    /// Hint code an order gets when the user's app fetches it.
    ///
    /// NOTE: the simulator requests call confirmation (`userCallConfirm`) only when the relying
    /// party made the call. Whether BankID also requests it when the user called is unverified.
    pub(crate) fn opened_hint(&self) -> HintCode {
        if self.kind.is_phone() && self.request.call_initiator == Some(CallInitiator::Rp) {
            HintCode::UserCallConfirm
        } else {
            HintCode::Started
        }
    }

    /// Completes the order for `user`, whose app runs at `device_ip`.
    pub(crate) fn complete(&mut self, user: &SimulatedUser, device_ip: &str, now: DateTime<Utc>) {
        let given_name = user.given_name.clone();
        let surname = user.surname.clone();
        let completion = CompletionData {
            user: CompletionUser {
                personal_number: user.personal_number,
                name: format!("{given_name} {surname}"),
                given_name,
                surname,
            },
            device: CompletionDevice {
                ip_address: device_ip.to_owned(),
                uhi: Some(hardware_identifier(&user.personal_number)),
            },
            step_up: self
                .request
                .requires_mrtd
                .then_some(StepUp { mrtd: Some(true) }),
            bank_id_issue_date: (now - TimeDelta::days(365)).date_naive(),
            signature: STANDARD.encode(self.signature_xml(user)),
            ocsp_response: STANDARD.encode(format!(
                "simulated OCSP response for order {}; not a real OCSP response",
                self.order_ref
            )),
            risk: self.request.return_risk.then_some(RiskLevel::Low),
        };
        self.user = Some(user.clone());
        self.state = OrderState::Complete(Box::new(completion));
    }

    /// Builds an unsigned placeholder of BankID's signature XML that carries the signed data.
    fn signature_xml(&self, user: &SimulatedUser) -> String {
        let visible = self.request.user_visible_data.as_deref().unwrap_or("");
        let non_visible = self.request.user_non_visible_data.as_deref().unwrap_or("");
        format!(
            concat!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
                "<Signature xmlns=\"http://www.w3.org/2000/09/xmldsig#\">",
                "<!-- Simulated by incert-bankid: not signed, not valid. -->",
                "<Object><bankIdSignedData xmlns=\"http://www.bankid.com/signature/v1.0.0/types\">",
                "<usrVisibleData charset=\"UTF-8\" visible=\"wysiwys\">{visible}</usrVisibleData>",
                "<usrNonVisibleData>{non_visible}</usrNonVisibleData>",
                "<srvInfo><nonce>{order_ref}</nonce></srvInfo>",
                "<env><ai><type>SIMULATOR</type><uhi>{uhi}</uhi></ai></env>",
                "</bankIdSignedData></Object></Signature>"
            ),
            visible = visible,
            non_visible = non_visible,
            order_ref = self.order_ref,
            uhi = hardware_identifier(&user.personal_number),
        )
    }
}

/// Derives a stable device identifier per simulated person, so repeated logins look like the
/// same device.
fn hardware_identifier(personal_number: &Personnummer) -> String {
    let digest = Sha256::digest(format!("simulated-device:{}", personal_number.to_long()));
    URL_SAFE_NO_PAD.encode(digest.get(..18).unwrap_or_default())
}
