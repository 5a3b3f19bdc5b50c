//! Registration, login with an emailed one-time code, tokens and password changes.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// Language of the texts and emails a person receives.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PreferredLanguage {
    #[default]
    Sv,
    En,
}

/// Body of `POST /api/v1/registrations/other`: a person without a Swedish personnummer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OtherRegistrationRequest {
    /// Email address; it becomes the username.
    #[schema(example = "test.person@example.se")]
    pub email: String,
    /// Date of birth as `YYYY-MM-DD`.
    #[schema(example = "1980-01-01")]
    pub birth_date: String,
    #[schema(example = "Test")]
    pub first_name: String,
    #[schema(example = "Person")]
    pub last_name: String,
    /// Optional mobile number, with or without country code (Sweden is assumed without one).
    #[serde(default)]
    #[schema(example = "070-123 45 67")]
    pub mobile: Option<String>,
    /// Language of emails and screens; Swedish when left out.
    #[serde(default)]
    pub language: Option<PreferredLanguage>,
}

/// Response to a registration. It is the same whether or not the email already had an account,
/// so it reveals nothing about who is registered; the email that follows tells the person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct RegistrationAccepted {
    /// Always `check_email`.
    #[schema(example = "check_email")]
    pub next_step: String,
}

/// Body of `POST /api/v1/auth/login`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "test.person@example.se")]
    pub email: String,
    #[schema(example = "Vinter-Sol-2026")]
    pub password: String,
}

impl std::fmt::Debug for LoginRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LoginRequest")
            .field("password", &"[redacted]")
            .finish_non_exhaustive()
    }
}

/// A login waiting for the one-time code that was emailed to the account's address.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LoginChallenge {
    /// Id of the challenge, used in the code and resend paths.
    #[schema(example = "3f0c1c8e4b7a4f7e9a3e2d5c6b1a0f9e")]
    pub challenge_id: String,
    /// When the emailed code stops working (10 minutes after it was sent).
    pub code_expires_at: chrono::DateTime<chrono::Utc>,
    /// Earliest time a new code can be requested.
    pub resend_available_at: chrono::DateTime<chrono::Utc>,
}

/// Body of `POST /api/v1/auth/login/{challenge_id}/code`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginCodeRequest {
    /// The six digits from the email.
    #[schema(example = "927770")]
    pub code: String,
    /// Also return the refresh token in the body, for API clients that do not keep cookies.
    /// Browsers leave it out and receive the token only as an HttpOnly cookie.
    #[serde(default)]
    pub include_refresh_token: bool,
}

impl std::fmt::Debug for LoginCodeRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("LoginCodeRequest")
            .field("code", &"[redacted]")
            .field("include_refresh_token", &self.include_refresh_token)
            .finish()
    }
}

/// Permissions of an access token.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum AccessScope {
    /// Every operation the account's role allows.
    Full,
    /// Only `PUT /api/v1/me/password` (and reading `GET /api/v1/me`), until the first-time
    /// password is replaced.
    PasswordChange,
}

/// Tokens issued at login and on refresh.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// Short-lived JWT for the `Authorization: Bearer` header.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    pub scope: AccessScope,
    /// The rotating refresh token, only when the request asked for it in the body.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
}

impl std::fmt::Debug for TokenResponse {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("TokenResponse")
            .field("expires_in", &self.expires_in)
            .field("scope", &self.scope)
            .finish_non_exhaustive()
    }
}

/// Body of `POST /api/v1/auth/token/refresh` and `POST /api/v1/auth/logout`. Browsers send an
/// empty object and the refresh token travels in its cookie.
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token, for clients that received it in a body.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// Return the new refresh token in the body too.
    #[serde(default)]
    pub include_refresh_token: bool,
}

impl std::fmt::Debug for RefreshRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("RefreshRequest")
            .field("include_refresh_token", &self.include_refresh_token)
            .finish_non_exhaustive()
    }
}

/// Body of `PUT /api/v1/me/password`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    pub current_password: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordChangeRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PasswordChangeRequest { .. }")
    }
}

/// Body of `POST /api/v1/auth/password-reset`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetRequest {
    #[schema(example = "test.person@example.se")]
    pub email: String,
}

/// Response to a reset request: always the same, whether or not the address has an account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordResetAccepted {
    /// Always `check_email`.
    #[schema(example = "check_email")]
    pub next_step: String,
    /// Minutes the emailed code stays valid.
    #[schema(example = 30)]
    pub code_valid_minutes: u32,
}

/// Body of `POST /api/v1/auth/password-reset/confirm`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordResetConfirmation {
    #[schema(example = "test.person@example.se")]
    pub email: String,
    /// The eight digits from the reset email.
    #[schema(example = "40417305")]
    pub code: String,
    pub new_password: String,
}

impl std::fmt::Debug for PasswordResetConfirmation {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str("PasswordResetConfirmation { .. }")
    }
}
