//! The certification side: the catalogue and price list, applications, certificates,
//! attestations of professional activity, staff decisions and reminders.

pub mod applications;
pub mod catalogue;
pub mod certificates;
pub mod decisions;
pub mod reminders;

use std::collections::HashMap;

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
use crate::storage::catalogue::{self as stored_catalogue, CertificateType};
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
        CertificateStatus::Replaced => contract::CertificateStatus::Replaced,
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
    Ok(dates(certificate)?.status(certificate.withdrawn_on, certificate.replaced_on, today))
}

/// The stored result of one exam part, read for an application.
#[derive(Debug, Clone, Queryable)]
struct StoredResult {
    application_id: i64,
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
    Ok(exam_results_of(connection, &[application_id])?
        .remove(&application_id)
        .unwrap_or_default())
}

/// Returns the latest reported result per exam part of each application that has any, in
/// one query.
fn exam_results_of(
    connection: &mut DbConnection,
    application_ids: &[i64],
) -> Result<HashMap<i64, Vec<ExamPartResult>>, ApiError> {
    // Newest first, so the first result seen per part is the one that counts.
    let stored: Vec<StoredResult> = exam_results::table
        .inner_join(enrolments::table)
        .filter(enrolments::application_id.eq_any(application_ids))
        .order((
            exam_results::reported_at.desc(),
            exam_results::enrolment_id.desc(),
        ))
        .select((
            enrolments::application_id,
            exam_results::part,
            exam_results::outcome,
            exam_results::score,
            exam_results::max_score,
            exam_results::taken_on,
            exam_results::examiner,
            exam_results::deviation,
        ))
        .load(connection)?;
    let mut latest: HashMap<i64, Vec<ExamPartResult>> = HashMap::new();
    for result in stored {
        let Some(part) = ExamPart::parse(&result.part) else {
            continue;
        };
        let seen = latest.entry(result.application_id).or_default();
        if seen.iter().any(|earlier| earlier.part == part) {
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
        seen.push(ExamPartResult {
            part,
            outcome,
            score: result.score.and_then(|score| u32::try_from(score).ok()),
            max_score: result.max_score.and_then(|score| u32::try_from(score).ok()),
            taken_on: result.taken_on,
            examiner: result.examiner,
            deviation,
        });
    }
    for results in latest.values_mut() {
        results.sort_by_key(|result| result.part.as_str());
    }
    Ok(latest)
}

/// Builds the applicant's view of a stored application.
pub(crate) fn application_view(
    connection: &mut DbConnection,
    application: &Application,
) -> Result<contract::Application, ApiError> {
    application_views(connection, std::slice::from_ref(application))?
        .pop()
        .ok_or_else(|| ApiError::Internal("no view was built for the application".to_owned()))
}

/// Builds the applicant's views of stored applications, in their order. Four queries read
/// what the views need, however many applications there are.
pub(crate) fn application_views(
    connection: &mut DbConnection,
    applications: &[Application],
) -> Result<Vec<contract::Application>, ApiError> {
    if applications.is_empty() {
        return Ok(Vec::new());
    }
    let application_ids: Vec<i64> = applications.iter().map(|stored| stored.id).collect();
    let type_ids: Vec<i64> = applications
        .iter()
        .map(|stored| stored.certificate_type_id)
        .collect();
    let renewed_ids: Vec<i64> = applications
        .iter()
        .filter_map(|stored| stored.renews_certificate_id)
        .collect();

    let types: HashMap<i64, CertificateType> = stored_catalogue::find_types(connection, &type_ids)?
        .into_iter()
        .map(|certificate_type| (certificate_type.id, certificate_type))
        .collect();
    let renewed_numbers: HashMap<i64, String> = if renewed_ids.is_empty() {
        HashMap::new()
    } else {
        crate::storage::certificates::numbers(connection, &renewed_ids)?
            .into_iter()
            .collect()
    };
    let issued_numbers: HashMap<i64, String> =
        stored_applications::certificate_numbers(connection, &application_ids)?
            .into_iter()
            .collect();
    let mut exam_results = exam_results_of(connection, &application_ids)?;

    applications
        .iter()
        .map(|application| {
            let certificate_type = types
                .get(&application.certificate_type_id)
                .ok_or_else(|| ApiError::Internal("application of an unknown type".to_owned()))?;
            let renews_certificate = match application.renews_certificate_id {
                Some(id) => Some(renewed_numbers.get(&id).cloned().ok_or_else(|| {
                    ApiError::Internal("renewal of an unknown certificate".to_owned())
                })?),
                None => None,
            };
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
                certificate_type: certificate_type.code.clone(),
                certificate_type_name: localized(
                    &certificate_type.name_sv,
                    &certificate_type.name_en,
                ),
                kind,
                renews_certificate,
                state: contract_state(parse_state(&application.state)?),
                source,
                decision_reason: application.decision_reason.clone(),
                decided_at: application.decided_at.map(|time| time.and_utc()),
                certificate_number: issued_numbers.get(&application.id).cloned(),
                exam_results: exam_results.remove(&application.id).unwrap_or_default(),
                created_at: application.created_at.and_utc(),
                updated_at: application.updated_at.and_utc(),
            })
        })
        .collect()
}
