//! The certificate catalogue, prices, applications and certificates, as people, the public
//! and staff see them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// A text in both languages of the portal.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct LocalizedText {
    #[schema(example = "Köldmedier")]
    pub sv: String,
    #[schema(example = "Refrigerants (F-gas)")]
    pub en: String,
}

/// A part of the assessment that a candidate must pass for a certificate type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamPart {
    /// Written theory exam at an examination centre.
    Theory,
    /// Practical exam at an examination centre.
    Practical,
    /// A course attestation that staff check.
    CourseAttestation,
    /// Documents that staff review, for company certificates.
    DocumentReview,
}

impl ExamPart {
    /// Returns the part as it appears on the wire and in storage.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Theory => "theory",
            Self::Practical => "practical",
            Self::CourseAttestation => "course_attestation",
            Self::DocumentReview => "document_review",
        }
    }

    /// Parses the wire and storage form.
    pub fn parse(input: &str) -> Option<Self> {
        match input {
            "theory" => Some(Self::Theory),
            "practical" => Some(Self::Practical),
            "course_attestation" => Some(Self::CourseAttestation),
            "document_review" => Some(Self::DocumentReview),
            _ => None,
        }
    }

    /// Returns whether an examination centre reports a result for this part.
    pub fn is_examined_by_centre(self) -> bool {
        matches!(self, Self::Theory | Self::Practical)
    }
}

/// Kind of holder that certificates of a type are issued to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum HolderKind {
    Person,
    Company,
}

/// An amount in Swedish kronor, excluding VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Price {
    #[schema(example = 1900)]
    pub amount_sek: u32,
    /// True while the amount is an example value that the certification body has not set.
    pub demo: bool,
}

/// Query of `GET /api/v1/technical-areas`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CatalogueQuery {
    /// Also list retired certificate types.
    #[serde(default)]
    pub include_retired: bool,
}

/// A certificate type of the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateType {
    /// Stable code, such as `KAT1`.
    #[schema(example = "KAT1")]
    pub code: String,
    pub name: LocalizedText,
    /// Code of the technical area the type belongs to.
    #[schema(example = "refrigerants")]
    pub technical_area: String,
    pub holder_kind: HolderKind,
    /// Parts the candidate must pass.
    pub exam_parts: Vec<ExamPart>,
    /// Years from issue to the end of validity.
    #[schema(example = 5)]
    pub validity_years: u32,
    /// Whether the holder needs a yearly attestation of professional activity.
    pub annual_renewal: bool,
    /// Years from issue until recertification is due.
    #[schema(example = 5)]
    pub recertification_years: u32,
    /// Price of the application and first issue.
    pub price: Price,
    /// True for a type that no longer takes applications.
    pub retired: bool,
}

/// A technical area with its certificate types, from `GET /api/v1/technical-areas`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct TechnicalArea {
    #[schema(example = "refrigerants")]
    pub code: String,
    pub name: LocalizedText,
    pub certificate_types: Vec<CertificateType>,
}

/// One fee of the price list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriceItem {
    /// Stable code, such as `annual_renewal`.
    #[schema(example = "annual_renewal")]
    pub code: String,
    pub name: LocalizedText,
    pub price: Price,
}

/// Response of `GET /api/v1/price-list`. Amounts exclude VAT.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PriceList {
    #[schema(example = "SEK")]
    pub currency: String,
    /// VAT added to every amount, in percent.
    #[schema(example = 25)]
    pub vat_percent: u32,
    /// Fees that do not depend on the certificate type.
    pub fees: Vec<PriceItem>,
    /// Application and first issue, per certificate type that takes applications.
    pub certificate_types: Vec<PriceItem>,
}

/// Whether an application is for a first certificate or renews one that is ending.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationKind {
    #[default]
    New,
    Recertification,
}

/// Origin of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationSource {
    /// The person applied on Min Sida.
    Person,
    /// An examination centre enrolled the person on an exam.
    Centre,
    /// Staff registered it.
    Staff,
}

/// State of an application.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ApplicationState {
    /// "Ansökan mottagen".
    Received,
    /// "Under handläggning".
    InReview,
    /// "Väntar på prov".
    AwaitingExam,
    /// "Godkänd": the certificate is issued.
    Approved,
    /// "Avslagen", with a reason.
    Rejected,
    /// Withdrawn by the applicant before a decision.
    Withdrawn,
}

/// Body of `POST /api/v1/me/applications`: "Ansök om nytt certifikat".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApplicationRequest {
    /// Code of the certificate type, such as `KAT1`.
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    /// For recertification: the number of the certificate that the new one replaces. It must
    /// be the applicant's own certificate of the same type.
    #[serde(default)]
    #[schema(example = json!(null))]
    pub renews_certificate: Option<String>,
}

/// Result of one exam part, as reported by the examination centre.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct ExamPartResult {
    pub part: ExamPart,
    pub outcome: ExamOutcome,
    /// Points scored, when the part is scored.
    pub score: Option<u32>,
    /// Maximum points, when the part is scored.
    pub max_score: Option<u32>,
    /// Day of the exam, `YYYY-MM-DD`.
    pub taken_on: NaiveDate,
    /// Name of the examiner.
    pub examiner: String,
    /// Deviation from the normal exam, if any.
    pub deviation: Option<ExamDeviation>,
}

/// Outcome of one exam part.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamOutcome {
    Passed,
    Failed,
}

/// A deviation from the normal exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExamDeviation {
    /// The candidate did not come.
    Absent,
    /// The candidate stopped before the end.
    Interrupted,
    /// The candidate was excluded for cheating or disturbing.
    Excluded,
    /// A technical fault affected the exam.
    TechnicalFault,
}

/// An application, in the view of its applicant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Application {
    #[schema(example = "0b7f2d0c-7c1e-4f5e-9a55-1d2f6c1b9e01")]
    pub id: String,
    /// Code of the certificate type.
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    pub certificate_type_name: LocalizedText,
    pub kind: ApplicationKind,
    /// Number of the certificate a recertification replaces.
    pub renews_certificate: Option<String>,
    pub state: ApplicationState,
    pub source: ApplicationSource,
    /// Reason given with a rejection.
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    /// Number of the certificate issued on approval.
    pub certificate_number: Option<String>,
    /// Exam results reported for the application, latest per part.
    pub exam_results: Vec<ExamPartResult>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Status of a certificate on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateStatus {
    /// "Giltig".
    Valid,
    /// "Förlängning krävs": an attestation of professional activity is overdue.
    RenewalRequired,
    /// "Utgången".
    Expired,
    /// "Indragen" by the certification body.
    Withdrawn,
    /// "Ersatt" by the certificate of a recertification.
    Replaced,
}

/// One row of the certificate list on Min Sida.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateRow {
    /// Certificate number.
    #[schema(example = "INC-2026-000001")]
    pub number: String,
    /// Name of the certificate type in the language of the response.
    #[schema(example = "Personcertifikat Kategori I")]
    pub certificate: String,
    pub status: CertificateStatus,
    /// Last day for the next attestation of professional activity. Types without annual
    /// renewal have none, and neither have withdrawn and replaced certificates, which take no
    /// more attestations.
    pub annual_renewal: Option<NaiveDate>,
    /// Last day on which recertification is on time.
    pub recertification: NaiveDate,
    /// Number of the certificate that a recertification issued in place of this one.
    pub replaced_by_certificate: Option<String>,
    /// Day from which the certificate of `replaced_by_certificate` replaces this one.
    pub replaced_on: Option<NaiveDate>,
}

/// Grouping of the rows of `GET /api/v1/me/certificates`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CertificateGrouping {
    /// One group with every row.
    #[default]
    None,
    TechnicalArea,
    Status,
}

/// Query of `GET /api/v1/me/certificates`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
#[into_params(parameter_in = Query)]
pub struct CertificateQuery {
    /// Words that the number, type or status must each contain, in any case.
    #[serde(default)]
    pub q: Option<String>,
    /// `none` (one group), `technical_area` or `status`.
    #[serde(default)]
    #[param(inline)]
    pub group_by: CertificateGrouping,
}

/// A group of rows of the certificate list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateGroup {
    /// Code of the technical area or status; `all` without grouping.
    #[schema(example = "refrigerants")]
    pub key: String,
    /// Heading of the group in the language of the response.
    #[schema(example = "Köldmedier")]
    pub title: String,
    pub certificates: Vec<CertificateRow>,
}

/// Response of `GET /api/v1/me/certificates`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct CertificateList {
    pub grouping: CertificateGrouping,
    /// Rows matching the search, in groups ordered by technical area, status or as one group.
    pub groups: Vec<CertificateGroup>,
    /// Number of rows in every group together.
    pub total: u32,
}

/// Public view of a certificate, without personnummer or birth date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct PublicCertificate {
    #[schema(example = "INC-2026-000001")]
    pub number: String,
    #[schema(example = "Test Person")]
    pub holder_name: String,
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    pub certificate_type_name: LocalizedText,
    pub status: CertificateStatus,
    /// Last valid day.
    pub valid_until: NaiveDate,
    /// Number of the certificate that a recertification issued in place of this one.
    pub replaced_by_certificate: Option<String>,
    /// Day from which the certificate of `replaced_by_certificate` replaces this one.
    pub replaced_on: Option<NaiveDate>,
}

/// A certificate with every date, as staff and the holder's details see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Certificate {
    #[schema(example = "INC-2026-000001")]
    pub number: String,
    #[schema(example = "KAT1")]
    pub certificate_type: String,
    pub certificate_type_name: LocalizedText,
    /// Public id of the holder's account.
    pub holder_id: String,
    pub holder_name: String,
    pub issued_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub annual_renewal_due: Option<NaiveDate>,
    pub recertification_due: NaiveDate,
    pub status: CertificateStatus,
    pub withdrawn_on: Option<NaiveDate>,
    pub withdrawal_reason: Option<String>,
}

/// Body of `POST /api/v1/certificates/{number}/attestations`: an attestation of the holder's
/// professional activity ("intyg om yrkesaktivitet").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttestationRequest {
    /// Day of the attestation, `YYYY-MM-DD`; today when left out.
    #[serde(default)]
    pub attested_on: Option<NaiveDate>,
}

/// A recorded attestation and the renewal date it moved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Attestation {
    pub certificate_number: String,
    pub attested_on: NaiveDate,
    /// The renewal due date before the attestation.
    pub previous_due: NaiveDate,
    /// The next renewal due date.
    pub next_due: NaiveDate,
    pub status: CertificateStatus,
}
