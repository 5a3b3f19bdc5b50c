//! Requests and responses of the BankID RP API v6.0.
//!
//! Requests contain plain values (text, bytes, typed personal numbers). The client checks the size
//! limits and encodes them when it sends the request. Responses deserialize the JSON that BankID
//! returns and ignore fields this crate does not know, because BankID may add fields.

use std::fmt;
use std::net::IpAddr;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use chrono::NaiveDate;
use incert_domain::Personnummer;
use serde::{Deserialize, Serialize};

use crate::codes::{CollectStatus, HintCode, RiskLevel};

/// Card reader class that a BankID on card must use (`requirement.cardReader`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CardReader {
    /// Any card reader, also one without a PIN pad.
    Class1,
    /// A card reader with its own PIN pad.
    Class2,
}

impl CardReader {
    /// Returns the value as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Class1 => "class1",
            Self::Class2 => "class2",
        }
    }
}

/// Conditions the user's BankID must meet (`requirement`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Requirement {
    /// Require the security code even where the app allows biometrics.
    pub pin_code: Option<bool>,
    /// Require the user to scan a machine-readable travel document (passport or ID card).
    pub mrtd: Option<bool>,
    pub card_reader: Option<CardReader>,
    /// Certificate policy OIDs, for example `1.2.752.78.1.5` for Mobile BankID.
    pub certificate_policies: Vec<String>,
    /// Only the holder of this personal number may complete the order.
    pub personal_number: Option<Personnummer>,
}

/// Format of `userVisibleData`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum UserVisibleDataFormat {
    /// The text is formatted with BankID's simple Markdown dialect.
    SimpleMarkdownV1,
}

impl UserVisibleDataFormat {
    /// Returns the value as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::SimpleMarkdownV1 => "simpleMarkdownV1",
        }
    }
}

/// Data about the user's browser, sent as `web`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WebDevice {
    /// Domain of the page that started the order, in punycode.
    pub referring_domain: String,
    pub user_agent: String,
    /// A stable identifier of the browser, for example a hash of a long-lived cookie.
    pub device_identifier: String,
}

/// Data about the relying party's native app, sent as `app`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppDevice {
    /// Android package name or iOS bundle identifier.
    pub app_identifier: String,
    pub device_os: String,
    pub device_model_name: String,
    pub device_identifier: String,
}

/// Device data of an auth or sign order. BankID takes either `web` or `app`, not both.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeviceData {
    Web(WebDevice),
    App(AppDevice),
}

/// Party that started the phone call of a phone order (`callInitiator`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CallInitiator {
    /// The user called the relying party.
    User,
    /// The relying party called the user.
    Rp,
}

impl CallInitiator {
    /// Returns the value as sent on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::User => "user",
            Self::Rp => "RP",
        }
    }
}

/// Request body of `auth`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthRequest {
    /// The user's IP address as seen by the relying party's server.
    pub end_user_ip: IpAddr,
    pub requirement: Option<Requirement>,
    /// Text shown to the user in the app, at most 1 500 characters after base64 encoding.
    pub user_visible_data: Option<String>,
    pub user_visible_data_format: Option<UserVisibleDataFormat>,
    /// Data not shown to the user, at most 1 500 characters after base64 encoding.
    pub user_non_visible_data: Option<Vec<u8>>,
    /// URL the app opens when the user is done, 1 to 512 characters. An empty string is left
    /// out of the request.
    pub return_url: Option<String>,
    /// Ask BankID to return its risk assessment in `completionData.risk`.
    pub return_risk: bool,
    pub device: Option<DeviceData>,
}

impl AuthRequest {
    /// Creates a request with only the required `endUserIp`.
    pub fn new(end_user_ip: IpAddr) -> Self {
        Self {
            end_user_ip,
            requirement: None,
            user_visible_data: None,
            user_visible_data_format: None,
            user_non_visible_data: None,
            return_url: None,
            return_risk: false,
            device: None,
        }
    }
}

/// Request body of `sign`: the fields of `auth` with a required `userVisibleData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignRequest {
    pub end_user_ip: IpAddr,
    pub requirement: Option<Requirement>,
    /// Text the user signs, at most 1 500 characters after base64 encoding.
    pub user_visible_data: String,
    pub user_visible_data_format: Option<UserVisibleDataFormat>,
    pub user_non_visible_data: Option<Vec<u8>>,
    pub return_url: Option<String>,
    pub return_risk: bool,
    pub device: Option<DeviceData>,
}

impl SignRequest {
    /// Creates a request with the required `endUserIp` and `userVisibleData`.
    pub fn new(end_user_ip: IpAddr, user_visible_data: impl Into<String>) -> Self {
        Self {
            end_user_ip,
            requirement: None,
            user_visible_data: user_visible_data.into(),
            user_visible_data_format: None,
            user_non_visible_data: None,
            return_url: None,
            return_risk: false,
            device: None,
        }
    }
}

/// Request body of `phone/auth`, for a user who is on the phone with the relying party.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneAuthRequest {
    pub personal_number: Personnummer,
    pub call_initiator: CallInitiator,
    pub requirement: Option<Requirement>,
    pub user_visible_data: Option<String>,
    pub user_visible_data_format: Option<UserVisibleDataFormat>,
    pub user_non_visible_data: Option<Vec<u8>>,
}

impl PhoneAuthRequest {
    /// Creates a request with the required fields.
    pub fn new(personal_number: Personnummer, call_initiator: CallInitiator) -> Self {
        Self {
            personal_number,
            call_initiator,
            requirement: None,
            user_visible_data: None,
            user_visible_data_format: None,
            user_non_visible_data: None,
        }
    }
}

/// Request body of `phone/sign`: the fields of `phone/auth` with a required `userVisibleData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneSignRequest {
    pub personal_number: Personnummer,
    pub call_initiator: CallInitiator,
    pub requirement: Option<Requirement>,
    pub user_visible_data: String,
    pub user_visible_data_format: Option<UserVisibleDataFormat>,
    pub user_non_visible_data: Option<Vec<u8>>,
}

impl PhoneSignRequest {
    /// Creates a request with the required fields.
    pub fn new(
        personal_number: Personnummer,
        call_initiator: CallInitiator,
        user_visible_data: impl Into<String>,
    ) -> Self {
        Self {
            personal_number,
            call_initiator,
            requirement: None,
            user_visible_data: user_visible_data.into(),
            user_visible_data_format: None,
            user_non_visible_data: None,
        }
    }
}

/// `qrStartSecret`, the HMAC key of the animated QR code. `Debug` does not print it, and it
/// must never be logged or sent to the browser.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct QrStartSecret(String);

impl QrStartSecret {
    pub fn new(secret: impl Into<String>) -> Self {
        Self(secret.into())
    }

    /// Returns the secret, for computing QR codes and for storage.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for QrStartSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("QrStartSecret(<redacted>)")
    }
}

/// Response of `auth` and `sign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrderResponse {
    pub order_ref: String,
    /// Token for the launch link that starts the app on the same device.
    pub auto_start_token: String,
    /// Public part of the animated QR code.
    pub qr_start_token: String,
    pub qr_start_secret: QrStartSecret,
}

/// Response of `phone/auth` and `phone/sign`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneOrderResponse {
    pub order_ref: String,
}

/// Response of `collect`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CollectResponse {
    pub order_ref: String,
    pub status: CollectStatus,
    /// Present when the status is `pending` or `failed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hint_code: Option<HintCode>,
    /// Present when the status is `complete`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub completion_data: Option<CompletionData>,
}

impl CollectResponse {
    /// Returns whether the order has ended, so that collecting again is pointless. BankID
    /// returns a final status once and then deletes the order.
    pub fn is_final(&self) -> bool {
        self.status != CollectStatus::Pending
    }
}

/// Result of a completed order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionData {
    pub user: CompletionUser,
    pub device: CompletionDevice,
    /// Extra checks the user passed, for example `{"mrtd": true}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub step_up: Option<StepUp>,
    /// Date the user's BankID was issued.
    pub bank_id_issue_date: NaiveDate,
    /// Base64-encoded XML signature.
    pub signature: String,
    /// Base64-encoded OCSP response for the user's certificate.
    pub ocsp_response: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub risk: Option<RiskLevel>,
}

impl CompletionData {
    /// Decodes `signature` into its XML text.
    pub fn signature_xml(&self) -> Result<String, SignatureDecodeError> {
        let bytes = STANDARD
            .decode(&self.signature)
            .map_err(|_| SignatureDecodeError)?;
        String::from_utf8(bytes).map_err(|_| SignatureDecodeError)
    }
}

/// `signature` is not base64-encoded UTF-8.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("completionData.signature is not base64-encoded UTF-8 text")]
pub struct SignatureDecodeError;

/// The user in `completionData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionUser {
    pub personal_number: Personnummer,
    pub name: String,
    pub given_name: String,
    pub surname: String,
}

/// The user's device in `completionData`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CompletionDevice {
    /// IP address of the user's device as seen by BankID.
    pub ip_address: String,
    /// Unique hardware identifier of the user's device.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub uhi: Option<String>,
}

/// Extra checks in `completionData.stepUp`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct StepUp {
    /// Whether the user scanned a machine-readable travel document.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mrtd: Option<bool>,
}
