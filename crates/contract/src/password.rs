//! The password policy and the password check used while a person types a new password.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The rules every new password must meet.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordPolicyRules {
    /// Minimum length in Unicode characters.
    #[schema(example = 8)]
    pub min_length: u32,
    /// Maximum length in Unicode characters.
    #[schema(example = 200)]
    pub max_length: u32,
    /// At least one letter; å, ä, ö and other Unicode letters count.
    pub requires_letter: bool,
    /// At least one digit.
    pub requires_digit: bool,
    /// Passwords on the bundled list of common passwords are rejected.
    pub rejects_common_passwords: bool,
}

/// Body of `POST /api/v1/password-checks`.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordCheckRequest {
    /// The candidate password. It is neither stored nor logged.
    #[schema(example = "Vinter-Sol-2026")]
    pub password: String,
    /// Other things the person typed (name, email) that the password should not be built
    /// from; they lower the strength estimate.
    #[serde(default)]
    pub user_inputs: Vec<String>,
}

impl std::fmt::Debug for PasswordCheckRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("PasswordCheckRequest")
            .field("password", &"[redacted]")
            .field("user_inputs", &self.user_inputs.len())
            .finish()
    }
}

/// Result of a password check.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordCheckResponse {
    /// True when the password meets every rule of the policy.
    pub acceptable: bool,
    /// Codes of the rules the password breaks, such as `password_too_short`.
    #[schema(example = json!(["password_missing_digit"]))]
    pub violations: Vec<String>,
    /// Strength estimate for the strength indicator.
    pub strength: PasswordStrength,
}

/// Strength estimate of a password, from 0 (guessed at once) to 4 (very hard to guess).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PasswordStrength {
    #[schema(minimum = 0, maximum = 4, example = 3)]
    pub score: u8,
    /// Code of the main weakness found, if any, such as `common_password`.
    pub warning: Option<String>,
    /// Codes of suggestions for a stronger password.
    pub suggestions: Vec<String>,
}
