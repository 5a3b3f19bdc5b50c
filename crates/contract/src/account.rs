//! The signed-in person's own account ("Min Sida").

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::PreferredLanguage;

/// Answer of `GET /api/v1/me`.
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
