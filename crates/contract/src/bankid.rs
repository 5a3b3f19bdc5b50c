//! Registration with a Swedish personnummer, confirmed by signing with BankID.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::PreferredLanguage;

/// Device on which the person opens the BankID app.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BankIdDevice {
    /// On the device showing the portal, through `launch_link`.
    ThisDevice,
    /// On another device, by scanning the animated QR code built from `qr_data`.
    OtherDevice,
}

/// Body of `POST /api/v1/registrations/swedish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SwedishRegistrationRequest {
    /// Personnummer as `ÅÅÅÅMMDD-NNNN`, `ÅÅMMDD-NNNN` or without the separator. Only its
    /// holder can sign the order.
    #[schema(example = "19811218-9876")]
    pub personnummer: String,
    #[schema(example = "Test")]
    pub first_name: String,
    #[schema(example = "Person")]
    pub last_name: String,
    /// Email address; it becomes the username.
    #[schema(example = "test.person@example.se")]
    pub email: String,
    /// Optional mobile number, with or without country code (Sweden is assumed without one).
    #[serde(default)]
    pub mobile: Option<String>,
    /// Language of emails, screens and the text shown in the BankID app; Swedish when left
    /// out.
    #[serde(default)]
    pub language: Option<PreferredLanguage>,
    pub device: BankIdDevice,
}

/// Status of a BankID order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum BankIdOrderStatus {
    /// Waiting for the person; poll again in about two seconds.
    Pending,
    /// Signed. A registration was handled and an email is on its way; a login's tokens can
    /// be fetched.
    Complete,
    /// Ended without a registration or login; `hint_code` or `failure_code` gives the reason.
    Failed,
    /// Cancelled through the portal.
    Cancelled,
}

/// Response of `POST /api/v1/registrations/swedish`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BankIdOrderStarted {
    /// Id of the order in the portal, for polling and cancelling.
    pub id: String,
    pub status: BankIdOrderStatus,
}

/// The state of a BankID order, as returned by polling or cancelling it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct BankIdOrderState {
    pub id: String,
    pub status: BankIdOrderStatus,
    /// BankID's hint code, such as `outstandingTransaction`, `userSign` or `userCancel`.
    pub hint_code: Option<String>,
    /// Set when the portal failed a signed order: `bankid_personnummer_mismatch` when the
    /// signer's personnummer differs from the entered one, `bankid_no_account` when no
    /// account has the personnummer of the person who logged in.
    pub failure_code: Option<String>,
    /// BankID's recommended message to show, in the request's language.
    pub message: Option<String>,
    /// BankID's number of the recommended message in `message`, such as `RFA6`, so that a
    /// client can show its own text in another language. Absent when `message` explains a
    /// `failure_code` instead.
    pub message_code: Option<String>,
    /// Link that opens the BankID app on this device; only for `this_device` while pending.
    pub launch_link: Option<String>,
    /// Content of the QR code to show now; only for `other_device` while pending. It changes
    /// every second, so poll about once a second while showing it.
    pub qr_data: Option<String>,
}

/// Body of `POST /api/v1/auth/bankid`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankIdLoginRequest {
    pub device: BankIdDevice,
}

/// Body of `POST /api/v1/auth/bankid/{id}/tokens`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BankIdTokenRequest {
    /// Also return the refresh token in the body, for API clients that do not keep cookies.
    /// Browsers leave it out and receive the token only as an HttpOnly cookie.
    #[serde(default)]
    pub include_refresh_token: bool,
}
