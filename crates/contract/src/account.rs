//! The signed-in person's own account ("Min Sida").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::PreferredLanguage;

/// Response of `GET /api/v1/me`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Me {
    /// Public id of the account.
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`; staff accounts have none.
    #[schema(example = "1980-01-01")]
    pub birth_date: Option<String>,
    /// Personnummer with the last four digits hidden, such as `19800101-****`, when the
    /// account has one.
    #[schema(example = "19800101-****")]
    pub personnummer_masked: Option<String>,
    /// Mobile number in E.164, such as `+46701234567`.
    pub mobile: Option<String>,
    pub language: PreferredLanguage,
    /// `person`, or a staff role.
    #[schema(example = "person")]
    pub role: String,
    /// True until the emailed first-time password is replaced.
    pub must_change_password: bool,
}

/// One open login session of the caller, from `GET /api/v1/me/sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SessionSummary {
    pub id: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub last_used_at: chrono::DateTime<chrono::Utc>,
    pub expires_at: chrono::DateTime<chrono::Utc>,
    /// True for the session of the token that made the request.
    pub current: bool,
    pub user_agent: Option<String>,
    pub ip_address: Option<String>,
}

/// Body of `PATCH /api/v1/me`. Fields left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MeUpdate {
    #[serde(default)]
    pub first_name: Option<String>,
    #[serde(default)]
    pub last_name: Option<String>,
    /// A new mobile number; an empty string removes it.
    #[serde(default)]
    pub mobile: Option<String>,
    #[serde(default)]
    pub language: Option<PreferredLanguage>,
}

/// Postal address for paper invoices.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PostalAddress {
    /// Company or organisation to invoice, if not the person.
    #[serde(default)]
    pub organisation_name: Option<String>,
    /// Swedish organisationsnummer, such as `556677-8899`.
    #[serde(default)]
    #[schema(example = "556036-0793")]
    pub organisation_number: Option<String>,
    /// Reference or cost centre printed on the invoice.
    #[serde(default)]
    pub reference: Option<String>,
    #[schema(example = "Storgatan 1")]
    pub street: String,
    /// Five digits for Swedish addresses, such as `111 22`.
    #[schema(example = "111 22")]
    pub postal_code: String,
    #[schema(example = "Stockholm")]
    pub city: String,
    /// ISO 3166-1 alpha-2 country code; `SE` when left out.
    #[serde(default)]
    #[schema(example = "SE")]
    pub country: Option<String>,
}

/// Billing details ("Faktureringsadress"), read by `GET` and replaced by `PUT
/// /api/v1/me/billing`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Billing {
    /// Invoices go to `billing_email` when true, by post to `address` when false.
    pub invoice_by_email: bool,
    /// Required when `invoice_by_email` is true.
    #[serde(default)]
    pub billing_email: Option<String>,
    /// Required when `invoice_by_email` is false.
    #[serde(default)]
    pub address: Option<PostalAddress>,
}

/// Body of `POST /api/v1/me/email`: start changing the login email address.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeRequest {
    #[schema(example = "ny.adress@example.se")]
    pub new_email: String,
    /// The account's password, so a stolen access token alone cannot move the login.
    pub current_password: String,
}

impl std::fmt::Debug for EmailChangeRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("EmailChangeRequest { .. }")
    }
}

/// Response to an email change request: a code was sent to the new address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct EmailChangeStarted {
    /// Minutes the code stays valid.
    #[schema(example = 30)]
    pub code_valid_minutes: u32,
}

/// Body of `POST /api/v1/me/email/confirm`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailChangeConfirmation {
    /// The eight digits sent to the new address.
    pub code: String,
}

impl std::fmt::Debug for EmailChangeConfirmation {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("EmailChangeConfirmation { .. }")
    }
}
