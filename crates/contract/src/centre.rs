//! Examination centres: OAuth2 client credentials, exam sessions, enrolments and results.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::certification::{ApplicationState, ExamPartResult, LocalizedText};

/// Body of `POST /api/v1/admin/examination-centres`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExaminationCentreRequest {
    /// Name of the centre, 1–200 characters; no other centre may have it.
    #[schema(example = "Kylteknik Provcenter Malmö")]
    pub name: String,
    /// Address where the certification body reaches the centre.
    #[serde(default)]
    #[schema(example = "prov@kylteknik.example.se")]
    pub contact_email: Option<String>,
}

/// An examination centre with its client credentials (never their secrets).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExaminationCentre {
    #[schema(example = "5d0c8a44-3b0e-4f52-9a0c-2f1f6f7a1c11")]
    pub id: String,
    #[schema(example = "Kylteknik Provcenter Malmö")]
    pub name: String,
    #[schema(example = "prov@kylteknik.example.se")]
    pub contact_email: Option<String>,
    pub created_at: DateTime<Utc>,
    pub clients: Vec<CentreClient>,
}

/// Client credentials of a centre, without the secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CentreClient {
    #[schema(example = "centre_3f9a1c0d5e7b2a48")]
    pub client_id: String,
    /// Free text that distinguishes the credentials of one centre, such as the system using them.
    #[schema(example = "Bokningssystem")]
    pub label: String,
    pub created_at: DateTime<Utc>,
    /// Last successful token request, to the minute.
    pub last_used_at: Option<DateTime<Utc>>,
    /// Set once the credentials are revoked; their tokens stop working at once.
    pub revoked_at: Option<DateTime<Utc>>,
}

/// Body of `POST /api/v1/admin/examination-centres/{id}/clients`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CentreClientRequest {
    /// Label of the new credentials, at most 200 characters; empty when left out.
    #[serde(default)]
    #[schema(example = "Bokningssystem")]
    pub label: Option<String>,
}

/// New client credentials. The secret is shown only in this response: store it at once.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CentreClientCredentials {
    #[schema(example = "centre_3f9a1c0d5e7b2a48")]
    pub client_id: String,
    /// 32 random bytes, base64url without padding.
    #[schema(example = "q8Vt0m1bq3sXo3V5Yw8l2cJ4n6Rz9PaKdE7fUhGiTjw")]
    pub client_secret: String,
    /// Public id of the centre that the credentials act for.
    #[schema(example = "5d0c8a44-3b0e-4f52-9a0c-2f1f6f7a1c11")]
    pub centre_id: String,
    #[schema(example = "Bokningssystem")]
    pub label: String,
    pub created_at: DateTime<Utc>,
}

impl std::fmt::Debug for CentreClientCredentials {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CentreClientCredentials")
            .field("client_id", &self.client_id)
            .field("client_secret", &"[redacted]")
            .field("centre_id", &self.centre_id)
            .finish_non_exhaustive()
    }
}

/// Form body of `POST /api/v1/oauth/token` (`application/x-www-form-urlencoded`), the client
/// credentials grant of RFC 6749 section 4.4. The client authenticates with HTTP Basic or
/// with `client_id` and `client_secret` in the body, not both.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ClientCredentialsRequest {
    /// Always `client_credentials`.
    #[schema(example = "client_credentials")]
    pub grant_type: String,
    /// Only `centre`, the scope every centre token has; may be left out.
    #[serde(default)]
    #[schema(example = "centre")]
    pub scope: Option<String>,
    #[serde(default)]
    #[schema(example = "centre_3f9a1c0d5e7b2a48")]
    pub client_id: Option<String>,
    #[serde(default)]
    pub client_secret: Option<String>,
}

impl std::fmt::Debug for ClientCredentialsRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("ClientCredentialsRequest")
            .field("grant_type", &self.grant_type)
            .field("client_id", &self.client_id)
            .finish_non_exhaustive()
    }
}

/// Successful response of `POST /api/v1/oauth/token` (RFC 6749 section 5.1).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CentreTokenResponse {
    /// A JWT to send as `Authorization: Bearer` to the `/api/v1/centre` operations.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Always `centre`.
    #[schema(example = "centre")]
    pub scope: String,
}

impl std::fmt::Debug for CentreTokenResponse {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("CentreTokenResponse")
            .field("expires_in", &self.expires_in)
            .finish_non_exhaustive()
    }
}

/// Error code of a failed token request (RFC 6749 section 5.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OAuthErrorCode {
    /// A parameter is missing, repeated or malformed, or the client authenticated twice.
    InvalidRequest,
    /// Unknown client, wrong secret, revoked credentials or no client authentication.
    InvalidClient,
    /// A `grant_type` other than `client_credentials`.
    UnsupportedGrantType,
    /// A `scope` other than `centre`.
    InvalidScope,
}

/// Error response of `POST /api/v1/oauth/token` (RFC 6749 section 5.2), in English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct OAuthError {
    pub error: OAuthErrorCode,
    #[schema(example = "Client authentication failed.")]
    pub error_description: Option<String>,
}

/// Body of `POST /api/v1/centre/exam-sessions`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExamSessionRequest {
    /// Code of a certificate type that takes applications and has a theory or practical exam.
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    /// Start of the exam, RFC 3339 with an offset.
    #[schema(example = "2027-03-15T09:00:00+01:00")]
    pub starts_at: String,
    /// Place of the exam, 1–200 characters.
    #[schema(example = "Industrigatan 4, Malmö")]
    pub place: String,
    /// Number of candidates the session takes, 1–500.
    #[schema(example = 12)]
    pub seats: i64,
}

/// An exam session (provtillfälle) of the calling centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExamSession {
    #[schema(example = "8a6f7e2b-0c55-4d8a-bb2e-3c7d8e9f0a12")]
    pub id: String,
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    pub certificate_type_name: LocalizedText,
    pub starts_at: DateTime<Utc>,
    #[schema(example = "Industrigatan 4, Malmö")]
    pub place: String,
    #[schema(example = 12)]
    pub seats: u32,
    /// Enrolled candidates.
    #[schema(example = 3)]
    pub seats_taken: u32,
    pub created_at: DateTime<Utc>,
}

/// An exam session with its enrolments, from `GET /api/v1/centre/exam-sessions/{id}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExamSessionDetails {
    pub session: ExamSession,
    /// Enrolments in the order they were made.
    pub enrolments: Vec<Enrolment>,
}

/// One page of the centre's exam sessions, ordered by start time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExamSessionPage {
    pub items: Vec<ExamSession>,
    /// Number of the page, from 1.
    #[schema(example = 1)]
    pub page: u32,
    #[schema(example = 20)]
    pub per_page: u32,
    /// Sessions matching the filter on every page together.
    #[schema(example = 1)]
    pub total: u64,
}

/// Body of `POST /api/v1/centre/exam-sessions/{id}/enrolments`: either `personnummer`, or
/// `email` and `birth_date` for a person without one. Both forms must match a personal
/// account; an account with a personnummer is enrolled by it.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EnrolmentRequest {
    /// Swedish personnummer or samordningsnummer, such as `YYYYMMDD-NNNN`.
    #[serde(default)]
    #[schema(example = "19811218-9876")]
    pub personnummer: Option<String>,
    /// Login address of the candidate's account.
    #[serde(default)]
    #[schema(example = json!(null))]
    pub email: Option<String>,
    /// Date of birth, `YYYY-MM-DD`, as registered on the account.
    #[serde(default)]
    #[schema(example = json!(null))]
    pub birth_date: Option<String>,
}

impl std::fmt::Debug for EnrolmentRequest {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter
            .debug_struct("EnrolmentRequest")
            .field("by_personnummer", &self.personnummer.is_some())
            .finish_non_exhaustive()
    }
}

/// A candidate enrolled on an exam session.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Enrolment {
    #[schema(example = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")]
    pub id: String,
    #[schema(example = "8a6f7e2b-0c55-4d8a-bb2e-3c7d8e9f0a12")]
    pub exam_session_id: String,
    #[schema(example = "Test Person")]
    pub candidate_name: String,
    /// The candidate's personnummer as `YYYYMMDD-****`, when the account has one.
    #[schema(example = "19811218-****")]
    pub personnummer_masked: Option<String>,
    /// Public id of the application the enrolment belongs to.
    #[schema(example = "0b7f2d0c-7c1e-4f5e-9a55-1d2f6c1b9e01")]
    pub application_id: String,
    pub application_state: ApplicationState,
    /// Results reported for this enrolment, one per exam part.
    pub results: Vec<ExamPartResult>,
    pub created_at: DateTime<Utc>,
}

/// Body of `PUT /api/v1/centre/enrolments/{id}/result`: one entry per exam part that the
/// centre examined. A part reported again replaces its earlier result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"parts": [
    {"part": "theory", "outcome": "passed", "score": 34, "max_score": 40, "taken_on": "2026-12-04", "examiner": "Eva Exempel", "deviation": null},
    {"part": "practical", "outcome": "passed", "score": null, "max_score": null, "taken_on": "2026-12-04", "examiner": "Eva Exempel", "deviation": null}
]}))]
pub struct ExamResultReport {
    pub parts: Vec<ExamPartResult>,
}

/// The stored results of an enrolment and the state of its application.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExamResults {
    #[schema(example = "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f")]
    pub enrolment_id: String,
    #[schema(example = "0b7f2d0c-7c1e-4f5e-9a55-1d2f6c1b9e01")]
    pub application_id: String,
    /// `in_review` once every exam part that centres examine has a result.
    pub application_state: ApplicationState,
    pub parts: Vec<ExamPartResult>,
}
