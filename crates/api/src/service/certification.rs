//! The certification side: the catalogue and price list, applications, certificates,
//! attestations of professional activity, staff decisions and reminders.

pub mod applications;
pub mod catalogue;
pub mod certificates;
pub mod decisions;
pub mod reminders;

use chrono::NaiveDate;
use diesel::prelude::*;
use incert_contract::certification::{
    self as contract, ApplicationKind, ApplicationSource, ExamDeviation, ExamOutcome, ExamPart,
    ExamPartResult, LocalizedText,
};
use incert_domain::{ApplicationState, CertificateDates, CertificateRules, CertificateStatus};

use crate::http::error::ApiError;
use crate::storage::DbConnection;
use crate::storage::accounts::{self, Account};
use crate::storage::applications::{self as stored_applications, Application};
use crate::storage::catalogue::CertificateType;
use crate::storage::certificates::Certificate;
use crate::storage::schema::{enrolments, exam_results};

/// Longest accepted reason of a rejection or withdrawal, in characters.
pub const MAX_REASON_CHARS: usize = 2_000;

pub(crate) fn caller_account(
    connection: &mut DbConnection,
    public_id: &str,
) -> Result<Account, ApiError> {
    accounts::find_by_public_id(connection, public_id)?.ok_or(ApiError::AuthenticationRequired)
}

pub(crate) fn localized(sv: &str, en: &str) -> LocalizedText {
    LocalizedText {
        sv: sv.to_owned(),
        en: en.to_owned(),
    }
}

/// Parses the comma-separated exam parts of a stored certificate type; unknown codes are
/// skipped, so a part added by a newer version does not break older nodes.
pub(crate) fn exam_parts(certificate_type: &CertificateType) -> Vec<ExamPart> {
    certificate_type
        .exam_parts
        .split(',')
        .filter_map(|part| ExamPart::parse(part.trim()))
        .collect()
}

/// Reads the validity rules of a stored certificate type.
pub(crate) fn rules(certificate_type: &CertificateType) -> Result<CertificateRules, ApiError> {
    let years = |value: i32| u32::try_from(value).unwrap_or(0);
    CertificateRules::new(
        years(certificate_type.validity_years),
        certificate_type.annual_renewal,
        certificate_type.recertification_years.map(years),
    )
    .map_err(|error| {
        ApiError::Internal(format!(
            "certificate type {} has invalid stored rules: {error}",
            certificate_type.code
        ))
    })
}

/// Reads the state of a stored application.
pub(crate) fn parse_state(stored: &str) -> Result<ApplicationState, ApiError> {
    match stored {
        "received" => Ok(ApplicationState::Received),
        "in_review" => Ok(ApplicationState::InReview),
        "awaiting_exam" => Ok(ApplicationState::AwaitingExam),
        "approved" => Ok(ApplicationState::Approved),
        "rejected" => Ok(ApplicationState::Rejected),
        "withdrawn" => Ok(ApplicationState::Withdrawn),
        other => Err(ApiError::Internal(format!(
            "unknown stored application state {other:?}"
        ))),
    }
}

fn contract_state(state: ApplicationState) -> contract::ApplicationState {
    match state {
        ApplicationState::Received => contract::ApplicationState::Received,
        ApplicationState::InReview => contract::ApplicationState::InReview,
        ApplicationState::AwaitingExam => contract::ApplicationState::AwaitingExam,
        ApplicationState::Approved => contract::ApplicationState::Approved,
        ApplicationState::Rejected => contract::ApplicationState::Rejected,
        ApplicationState::Withdrawn => contract::ApplicationState::Withdrawn,
    }
}

pub(crate) fn contract_status(status: CertificateStatus) -> contract::CertificateStatus {
    match status {
        CertificateStatus::Valid => contract::CertificateStatus::Valid,
        CertificateStatus::RenewalRequired => contract::CertificateStatus::RenewalRequired,
        CertificateStatus::Expired => contract::CertificateStatus::Expired,
        CertificateStatus::Withdrawn => contract::CertificateStatus::Withdrawn,
    }
}

/// Reads the dates of a stored certificate.
pub(crate) fn dates(certificate: &Certificate) -> Result<CertificateDates, ApiError> {
    CertificateDates::from_parts(
        certificate.issued_on,
        certificate.valid_until,
        certificate.annual_renewal_due,
        certificate.recertification_due,
    )
    .map_err(|error| {
        ApiError::Internal(format!(
            "certificate {} has inconsistent stored dates: {error}",
            certificate.number
        ))
    })
}

/// Computes a certificate's status on `today`.
pub(crate) fn status_on(
    certificate: &Certificate,
    today: NaiveDate,
) -> Result<CertificateStatus, ApiError> {
    Ok(dates(certificate)?.status(certificate.withdrawn_on, today))
}

/// The stored result of one exam part, read for an application.
#[derive(Debug, Clone, Queryable)]
struct StoredResult {
    part: String,
    outcome: String,
    score: Option<i32>,
    max_score: Option<i32>,
    taken_on: NaiveDate,
    examiner: String,
    deviation: Option<String>,
}

/// Returns the latest reported result per exam part of an application, over all its
/// enrolments.
pub(crate) fn exam_results_for(
    connection: &mut DbConnection,
    application_id: i64,
) -> Result<Vec<ExamPartResult>, ApiError> {
    // Newest first, so the first result seen per part is the one that counts.
    let stored: Vec<StoredResult> = exam_results::table
        .inner_join(enrolments::table)
        .filter(enrolments::application_id.eq(application_id))
        .order(exam_results::reported_at.desc())
        .select((
            exam_results::part,
            exam_results::outcome,
            exam_results::score,
            exam_results::max_score,
            exam_results::taken_on,
            exam_results::examiner,
            exam_results::deviation,
        ))
        .load(connection)?;
    let mut latest: Vec<ExamPartResult> = Vec::new();
    for result in stored {
        let Some(part) = ExamPart::parse(&result.part) else {
            continue;
        };
        if latest.iter().any(|seen| seen.part == part) {
            continue;
        }
        let outcome = match result.outcome.as_str() {
            "passed" => ExamOutcome::Passed,
            _ => ExamOutcome::Failed,
        };
        let deviation = result.deviation.as_deref().and_then(|code| match code {
            "absent" => Some(ExamDeviation::Absent),
            "interrupted" => Some(ExamDeviation::Interrupted),
            "excluded" => Some(ExamDeviation::Excluded),
            "technical_fault" => Some(ExamDeviation::TechnicalFault),
            _ => None,
        });
        latest.push(ExamPartResult {
            part,
            outcome,
            score: result.score.and_then(|score| u32::try_from(score).ok()),
            max_score: result.max_score.and_then(|score| u32::try_from(score).ok()),
            taken_on: result.taken_on,
            examiner: result.examiner,
            deviation,
        });
    }
    latest.sort_by_key(|result| result.part.as_str());
    Ok(latest)
}

/// Builds the applicant's view of a stored application.
pub(crate) fn application_view(
    connection: &mut DbConnection,
    application: &Application,
) -> Result<contract::Application, ApiError> {
    let certificate_type =
        crate::storage::catalogue::find_type(connection, application.certificate_type_id)?;
    let renews_certificate = match application.renews_certificate_id {
        Some(id) => Some(
            crate::storage::schema::certificates::table
                .find(id)
                .select(crate::storage::schema::certificates::number)
                .first::<String>(connection)?,
        ),
        None => None,
    };
    let certificate_number = stored_applications::certificate_number(connection, application.id)?;
    let exam_results = exam_results_for(connection, application.id)?;
    let kind = match application.kind.as_str() {
        "recertification" => ApplicationKind::Recertification,
        _ => ApplicationKind::New,
    };
    let source = match application.source.as_str() {
        "centre" => ApplicationSource::Centre,
        "staff" => ApplicationSource::Staff,
        _ => ApplicationSource::Person,
    };
    Ok(contract::Application {
        id: application.public_id.clone(),
        certificate_type: certificate_type.code,
        certificate_type_name: localized(&certificate_type.name_sv, &certificate_type.name_en),
        kind,
        renews_certificate,
        state: contract_state(parse_state(&application.state)?),
        source,
        decision_reason: application.decision_reason.clone(),
        decided_at: application.decided_at.map(|time| time.and_utc()),
        certificate_number,
        exam_results,
        created_at: application.created_at.and_utc(),
        updated_at: application.updated_at.and_utc(),
    })
}
