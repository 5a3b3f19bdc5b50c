//! The staff API under `/api/v1/admin`: the application queue, decisions, certificates and
//! the catalogue.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::certification::{Application, ApplicationState, ExamPart, HolderKind};

/// The person behind an application, as staff see them. The personnummer is masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Applicant {
    /// Public id of the account.
    pub id: String,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub birth_date: Option<NaiveDate>,
    #[schema(example = "19800101-****")]
    pub personnummer_masked: Option<String>,
}

/// An application with its applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct StaffApplication {
    pub application: Application,
    pub applicant: Applicant,
}

/// Query of `GET /api/v1/admin/applications`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct ApplicationQuery {
    /// Only applications in this state.
    #[serde(default)]
    pub state: Option<ApplicationState>,
    /// Only applications for this certificate type code.
    #[serde(default)]
    pub certificate_type: Option<String>,
    /// Text that the applicant's name or email address contains.
    #[serde(default)]
    pub q: Option<String>,
    /// Page number, from 1.
    #[serde(default)]
    pub page: Option<u32>,
    /// Rows per page, 1 to 100; 25 when left out.
    #[serde(default)]
    pub per_page: Option<u32>,
}

/// One page of the application queue, oldest application first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ApplicationPage {
    pub items: Vec<StaffApplication>,
    pub page: u32,
    pub per_page: u32,
    /// Applications matching the filter on every page.
    pub total: u64,
}

/// Body of the approve and reject operations.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationDecision {
    /// Required when rejecting: the reason the applicant reads.
    #[serde(default)]
    pub reason: Option<String>,
    /// Issue date of the certificate when approving, `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub issued_on: Option<NaiveDate>,
}

/// Body of `POST /api/v1/admin/certificates/{number}/withdraw`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    /// Reason the holder reads.
    pub reason: String,
    /// First day the certificate is withdrawn; today when left out.
    #[serde(default)]
    pub withdrawn_on: Option<NaiveDate>,
}

/// Body of `POST /api/v1/admin/certificate-types`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewCertificateType {
    /// Upper-case letters, digits and hyphens, 2 to 20 characters, such as `A1`.
    #[schema(example = "A1")]
    pub code: String,
    /// Code of an existing technical area.
    #[schema(example = "refrigerants")]
    pub technical_area: String,
    #[schema(example = "Personcertifikat A1")]
    pub name_sv: String,
    #[schema(example = "Person certificate A1")]
    pub name_en: String,
    pub holder_kind: HolderKind,
    pub exam_parts: Vec<ExamPart>,
    #[schema(example = 5)]
    pub validity_years: u32,
    pub annual_renewal: bool,
    /// Years until recertification; the validity when left out.
    #[serde(default)]
    pub recertification_years: Option<u32>,
    #[schema(example = 1900)]
    pub price_sek: u32,
}

/// Body of `PATCH /api/v1/admin/certificate-types/{code}`. Fields left out stay as they are.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateTypeUpdate {
    #[serde(default)]
    pub name_sv: Option<String>,
    #[serde(default)]
    pub name_en: Option<String>,
    #[serde(default)]
    pub technical_area: Option<String>,
    #[serde(default)]
    pub exam_parts: Option<Vec<ExamPart>>,
    #[serde(default)]
    pub validity_years: Option<u32>,
    #[serde(default)]
    pub annual_renewal: Option<bool>,
    #[serde(default)]
    pub recertification_years: Option<u32>,
    /// A set price is no longer shown as an example value.
    #[serde(default)]
    pub price_sek: Option<u32>,
    /// False takes a retired type back into use; true retires it.
    #[serde(default)]
    pub retired: Option<bool>,
}

/// Body of `POST /api/v1/admin/certificate-administrators`: lets an account attest the
/// certificates of holders whose billing organisation number is the given one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CertificateAdministratorRequest {
    /// Public id of the administrator's account.
    pub account_id: String,
    /// Swedish organisationsnummer of the employer, such as `556036-0793`.
    #[schema(example = "556036-0793")]
    pub organisation_number: String,
}
