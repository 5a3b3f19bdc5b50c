//! Staff decisions: the application queue, approval with issue of the certificate,
//! rejection, and withdrawal of a certificate. Each decision is audited and emailed.

use std::collections::HashMap;

use chrono::NaiveDate;
use incert_contract::ErrorCode;
use incert_contract::admin::{
    Applicant, ApplicationDecision, ApplicationPage, ApplicationQuery, StaffApplication, Withdrawal,
};
use incert_contract::certification::{Certificate, ExamOutcome, ExamPart};
use incert_domain::{ApplicationState, CertificateDates, CertificateNumber, Personnummer};

use super::{
    MAX_REASON_CHARS, application_views, caller_account, contract_status, exam_parts,
    exam_results_for, localized, parse_state, rules,
};
use crate::http::AppState;
use crate::http::authentication::Authenticated;
use crate::http::error::{ApiError, FieldIssue};
use crate::i18n::Language;
use crate::mail::certification as letters;
use crate::security::vault::PersonnummerVault;
use crate::service::{stored_language, today_in_sweden};
use crate::storage::DbConnection;
use crate::storage::accounts::{self, Account};
use crate::storage::applications::{self, Application, ApplicationFilter};
use crate::storage::audit::{self, Origin, event};
use crate::storage::catalogue::{self, CertificateType};
use crate::storage::certificates::{self, Certificate as StoredCertificate, NewCertificate};
use crate::storage::outbox;

/// Largest page of the staff application list.
pub const MAX_PAGE_SIZE: u32 = 100;

fn type_name(language: Language, certificate_type: &CertificateType) -> &str {
    match language {
        Language::Swedish => &certificate_type.name_sv,
        Language::English => &certificate_type.name_en,
    }
}

fn invalid(field: &str, code: &str) -> ApiError {
    ApiError::Validation(vec![FieldIssue::new(field, code)])
}

/// Trims a required free-text reason and checks its length and characters.
fn reason(field: &str, text: &str) -> Result<String, ApiError> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(invalid(field, "required"));
    }
    if trimmed.chars().count() > MAX_REASON_CHARS {
        return Err(invalid(field, "reason_too_long"));
    }
    // A reason may span lines, but other control and invisible characters do not belong in
    // a letter to the applicant.
    let hidden = trimmed.chars().any(|character| {
        (character.is_control() && character != '\n' && character != '\t')
            || crate::service::is_invisible_format(character)
    });
    if hidden {
        return Err(invalid(field, "text_invalid_characters"));
    }
    Ok(trimmed.to_owned())
}

fn applicant(vault: &PersonnummerVault, account: &Account) -> Applicant {
    let personnummer_masked = account
        .personnummer
        .as_deref()
        .and_then(|sealed| vault.open(sealed))
        .and_then(|stored| Personnummer::from_canonical(&stored).ok())
        .map(|personnummer| personnummer.masked());
    Applicant {
        id: account.public_id.clone(),
        first_name: account.first_name.clone(),
        last_name: account.last_name.clone(),
        email: account.email.clone(),
        birth_date: account.birth_date,
        personnummer_masked,
    }
}

fn staff_view(
    vault: &PersonnummerVault,
    connection: &mut DbConnection,
    application: &Application,
) -> Result<StaffApplication, ApiError> {
    staff_views(vault, connection, std::slice::from_ref(application))?
        .pop()
        .ok_or_else(|| ApiError::Internal("no view was built for the application".to_owned()))
}

/// Builds the staff views of stored applications, in their order, with a fixed number of
/// queries however many there are.
fn staff_views(
    vault: &PersonnummerVault,
    connection: &mut DbConnection,
    applications: &[Application],
) -> Result<Vec<StaffApplication>, ApiError> {
    let account_ids: Vec<i64> = applications
        .iter()
        .map(|application| application.account_id)
        .collect();
    let applicants: HashMap<i64, Account> = accounts::find_many(connection, &account_ids)?
        .into_iter()
        .map(|account| (account.id, account))
        .collect();
    let views = application_views(connection, applications)?;
    applications
        .iter()
        .zip(views)
        .map(|(application, view)| {
            let account = applicants.get(&application.account_id).ok_or_else(|| {
                ApiError::Internal("application of an unknown account".to_owned())
            })?;
            Ok(StaffApplication {
                application: view,
                applicant: applicant(vault, account),
            })
        })
        .collect()
}

/// Builds the staff view of a stored certificate with its status on `today`.
fn certificate_view(
    certificate: &StoredCertificate,
    certificate_type: &CertificateType,
    holder: &Account,
    today: NaiveDate,
) -> Result<Certificate, ApiError> {
    let status = super::status_on(certificate, today)?;
    Ok(Certificate {
        number: certificate.number.clone(),
        certificate_type: certificate_type.code.clone(),
        certificate_type_name: localized(&certificate.type_name_sv, &certificate.type_name_en),
        holder_id: holder.public_id.clone(),
        holder_name: certificate.holder_name.clone(),
        issued_on: certificate.issued_on,
        valid_until: certificate.valid_until,
        annual_renewal_due: certificate.annual_renewal_due,
        recertification_due: certificate.recertification_due,
        status: contract_status(status),
        withdrawn_on: certificate.withdrawn_on,
        withdrawal_reason: certificate.withdrawal_reason.clone(),
    })
}

/// Lists applications for staff, oldest first, filtered by state, certificate type and a
/// search in the applicant's name or email address.
pub async fn search(
    state: &AppState,
    query: ApplicationQuery,
) -> Result<ApplicationPage, ApiError> {
    let page = query.page.unwrap_or(1);
    if page == 0 {
        return Err(invalid("page", "number_invalid"));
    }
    let per_page = query.per_page.unwrap_or(25);
    if !(1..=MAX_PAGE_SIZE).contains(&per_page) {
        return Err(invalid("per_page", "per_page_out_of_range"));
    }
    let state_filter = match query.state {
        Some(wanted) => Some(
            serde_json::to_value(wanted)
                .ok()
                .and_then(|value| value.as_str().map(str::to_owned))
                .ok_or_else(|| invalid("state", "invalid_type"))?,
        ),
        None => None,
    };
    let type_code = query.certificate_type.map(|code| code.trim().to_owned());
    let search = query
        .q
        .map(|text| text.trim().to_lowercase())
        .filter(|text| !text.is_empty());
    let offset = i64::from(page - 1) * i64::from(per_page);
    let vault = state.personnummer_vault.clone();

    state
        .database
        .run(move |connection| {
            let certificate_type_id = match &type_code {
                Some(code) => Some(
                    catalogue::find_type_by_code(connection, code)?
                        .ok_or_else(|| invalid("certificate_type", "certificate_type_unknown"))?
                        .id,
                ),
                None => None,
            };
            let account_ids = match &search {
                Some(text) => Some(accounts::search_ids(connection, text)?),
                None => None,
            };
            let filter = ApplicationFilter {
                state: state_filter,
                certificate_type_id,
                account_ids,
            };
            let (rows, total) =
                applications::search(connection, &filter, offset, i64::from(per_page))?;
            let items = staff_views(&vault, connection, &rows)?;
            Ok(ApplicationPage {
                items,
                page,
                per_page,
                total: u64::try_from(total).unwrap_or(0),
            })
        })
        .await
}

/// Returns one application with its applicant and results.
pub async fn find(state: &AppState, application_id: String) -> Result<StaffApplication, ApiError> {
    let vault = state.personnummer_vault.clone();
    state
        .database
        .run(move |connection| {
            let application = applications::find_by_public_id(connection, &application_id)?
                .ok_or(ApiError::NotFound)?;
            staff_view(&vault, connection, &application)
        })
        .await
}

/// Moves an open application into review, the only state from which it can be decided.
fn bring_into_review(
    connection: &mut DbConnection,
    application: &Application,
    now: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    let current = parse_state(&application.state)?;
    if current == ApplicationState::InReview {
        return Ok(());
    }
    let review = current
        .transition(ApplicationState::InReview)
        .map_err(|_| ApiError::Conflict(ErrorCode::ApplicationTransitionNotAllowed))?;
    if !applications::set_state(
        connection,
        application.id,
        current.code(),
        review.code(),
        now,
    )? {
        return Err(ApiError::Conflict(
            ErrorCode::ApplicationTransitionNotAllowed,
        ));
    }
    Ok(())
}

/// Checks that every part a centre examines has a passed latest result. Recertification
/// needs a new theory exam only.
fn require_passed_exam(
    connection: &mut DbConnection,
    application: &Application,
    certificate_type: &CertificateType,
) -> Result<(), ApiError> {
    let recertification = application.kind == "recertification";
    let required: Vec<ExamPart> = exam_parts(certificate_type)
        .into_iter()
        .filter(|part| part.is_examined_by_centre())
        .filter(|part| !recertification || *part == ExamPart::Theory)
        .collect();
    let results = exam_results_for(connection, application.id)?;
    let all_passed = required.iter().all(|part| {
        results
            .iter()
            .any(|result| result.part == *part && result.outcome == ExamOutcome::Passed)
    });
    if all_passed {
        Ok(())
    } else {
        Err(ApiError::Conflict(ErrorCode::ExamNotPassed))
    }
}

/// Approves an application and issues its certificate: a new number, dates from the
/// type's rules starting on `issued_on` (today unless given), an email to the holder and
/// two audit events.
pub async fn approve(
    state: &AppState,
    officer: &Authenticated,
    application_id: String,
    decision: ApplicationDecision,
    origin: Origin,
) -> Result<Certificate, ApiError> {
    let today = today_in_sweden(state.clock.now());
    let issued_on = decision.issued_on.unwrap_or(today);
    if issued_on > today {
        return Err(invalid("issued_on", "date_in_future"));
    }
    let now = state.clock.naive_now();
    let officer_id = officer.public_id.clone();
    let public_url = state.settings.public_url.clone();
    let mailer = state.mailer.clone();

    let certificate = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let officer = caller_account(transaction, &officer_id)?;
                let application = applications::find_by_public_id(transaction, &application_id)?
                    .ok_or(ApiError::NotFound)?;
                if application.account_id == officer.id {
                    return Err(ApiError::Unprocessable(ErrorCode::SelfDecisionNotAllowed));
                }
                // A certificate cannot be issued before it was applied for.
                let applied_on = today_in_sweden(application.created_at.and_utc());
                if issued_on < applied_on {
                    return Err(invalid("issued_on", "date_before_application"));
                }
                // The renewed certificate may have been withdrawn or replaced since the
                // application was filed.
                if let Some(renewed_id) = application.renews_certificate_id {
                    let renewed = certificates::find(transaction, renewed_id)?;
                    if renewed.withdrawn_on.is_some() {
                        return Err(ApiError::Conflict(ErrorCode::CertificateWithdrawn));
                    }
                    if renewed.replaced_on.is_some() {
                        return Err(ApiError::Conflict(ErrorCode::CertificateReplaced));
                    }
                }
                let certificate_type =
                    catalogue::find_type(transaction, application.certificate_type_id)?;
                bring_into_review(transaction, &application, now)?;
                require_passed_exam(transaction, &application, &certificate_type)?;
                if !applications::decide(
                    transaction,
                    application.id,
                    ApplicationState::Approved.code(),
                    None,
                    officer.id,
                    now,
                )? {
                    return Err(ApiError::Conflict(
                        ErrorCode::ApplicationTransitionNotAllowed,
                    ));
                }

                let dates = CertificateDates::at_issue(&rules(&certificate_type)?, issued_on)
                    .map_err(|_| invalid("issued_on", "date_out_of_range"))?;
                let year = chrono::Datelike::year(&issued_on);
                let sequence = certificates::next_sequence(transaction, year)?;
                let number =
                    CertificateNumber::format(year, u32::try_from(sequence).unwrap_or(u32::MAX))
                        .map_err(|error| {
                            ApiError::Internal(format!("no certificate number left: {error}"))
                        })?;
                let holder = accounts::find(transaction, application.account_id)?;
                let certificate_id = certificates::insert(
                    transaction,
                    &NewCertificate {
                        holder_name: format!("{} {}", holder.first_name, holder.last_name),
                        type_name_sv: certificate_type.name_sv.clone(),
                        type_name_en: certificate_type.name_en.clone(),
                        number: number.as_str().to_owned(),
                        account_id: application.account_id,
                        certificate_type_id: certificate_type.id,
                        application_id: application.id,
                        issued_on: dates.issued_on(),
                        valid_until: dates.valid_until(),
                        annual_renewal_due: dates.annual_renewal_due(),
                        recertification_due: dates.recertification_due(),
                        created_at: now,
                        updated_at: now,
                    },
                )?;
                // A recertification replaces the renewed certificate from the new one's issue
                // day, which also ends the reminders of the old one.
                if let Some(renewed_id) = application.renews_certificate_id
                    && !certificates::replace(
                        transaction,
                        renewed_id,
                        certificate_id,
                        issued_on,
                        now,
                    )?
                {
                    return Err(ApiError::Conflict(ErrorCode::CertificateReplaced));
                }

                let language = stored_language(&holder.language);
                let letter = letters::application_approved(
                    language,
                    &holder.first_name,
                    type_name(language, &certificate_type),
                    number.as_str(),
                    dates.valid_until(),
                    &public_url,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&holder.email, &letter.subject, letter.body, None),
                )?;
                for (name, detail) in [
                    (event::APPLICATION_APPROVED, application.public_id.as_str()),
                    (event::CERTIFICATE_ISSUED, number.as_str()),
                ] {
                    audit::record(
                        transaction,
                        name,
                        Some(holder.id),
                        &origin,
                        Some(&format!("{detail} by {}", officer.public_id)),
                        now,
                    )?;
                }

                let stored = certificates::find_by_number(transaction, number.as_str())?
                    .ok_or(ApiError::NotFound)?;
                certificate_view(&stored, &certificate_type, &holder, today)
            })
        })
        .await?;

    state.mailer.wake_worker();
    tracing::info!(certificate = %certificate.number, "certificate issued");
    Ok(certificate)
}

/// Rejects an application with a reason, which the applicant reads on Min Sida and in an
/// email.
pub async fn reject(
    state: &AppState,
    officer: &Authenticated,
    application_id: String,
    decision: ApplicationDecision,
    origin: Origin,
) -> Result<StaffApplication, ApiError> {
    let reason = reason("reason", decision.reason.as_deref().unwrap_or_default())?;
    let now = state.clock.naive_now();
    let officer_id = officer.public_id.clone();
    let mailer = state.mailer.clone();
    let vault = state.personnummer_vault.clone();

    let rejected = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let officer = caller_account(transaction, &officer_id)?;
                let application = applications::find_by_public_id(transaction, &application_id)?
                    .ok_or(ApiError::NotFound)?;
                if application.account_id == officer.id {
                    return Err(ApiError::Unprocessable(ErrorCode::SelfDecisionNotAllowed));
                }
                bring_into_review(transaction, &application, now)?;
                if !applications::decide(
                    transaction,
                    application.id,
                    ApplicationState::Rejected.code(),
                    Some(&reason),
                    officer.id,
                    now,
                )? {
                    return Err(ApiError::Conflict(
                        ErrorCode::ApplicationTransitionNotAllowed,
                    ));
                }

                let certificate_type =
                    catalogue::find_type(transaction, application.certificate_type_id)?;
                let holder = accounts::find(transaction, application.account_id)?;
                let language = stored_language(&holder.language);
                let letter = letters::application_rejected(
                    language,
                    &holder.first_name,
                    type_name(language, &certificate_type),
                    &reason,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&holder.email, &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::APPLICATION_REJECTED,
                    Some(holder.id),
                    &origin,
                    Some(&format!(
                        "{} by {}",
                        application.public_id, officer.public_id
                    )),
                    now,
                )?;
                let stored = applications::find(transaction, application.id)?;
                staff_view(&vault, transaction, &stored)
            })
        })
        .await?;

    state.mailer.wake_worker();
    Ok(rejected)
}

/// Withdraws a certificate from `withdrawn_on` (today unless given) with a reason.
pub async fn withdraw_certificate(
    state: &AppState,
    officer: &Authenticated,
    number: String,
    withdrawal: Withdrawal,
    origin: Origin,
) -> Result<Certificate, ApiError> {
    let number = CertificateNumber::parse(&number).map_err(|_| ApiError::NotFound)?;
    let reason = reason("reason", &withdrawal.reason)?;
    let today = today_in_sweden(state.clock.now());
    let withdrawn_on: NaiveDate = withdrawal.withdrawn_on.unwrap_or(today);
    if withdrawn_on > today {
        return Err(invalid("withdrawn_on", "date_in_future"));
    }
    let now = state.clock.naive_now();
    let officer_id = officer.public_id.clone();
    let mailer = state.mailer.clone();

    let certificate = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let officer = caller_account(transaction, &officer_id)?;
                let certificate = certificates::find_by_number(transaction, number.as_str())?
                    .ok_or(ApiError::NotFound)?;
                if certificate.account_id == officer.id {
                    return Err(ApiError::Unprocessable(ErrorCode::SelfDecisionNotAllowed));
                }
                if withdrawn_on < certificate.issued_on {
                    return Err(invalid("withdrawn_on", "date_before_issue"));
                }
                if !certificates::withdraw(transaction, certificate.id, withdrawn_on, &reason, now)?
                {
                    return Err(ApiError::Conflict(ErrorCode::CertificateWithdrawn));
                }

                let holder = accounts::find(transaction, certificate.account_id)?;
                let letter = letters::certificate_withdrawn(
                    stored_language(&holder.language),
                    &holder.first_name,
                    &certificate.number,
                    withdrawn_on,
                    &reason,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&holder.email, &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::CERTIFICATE_WITHDRAWN,
                    Some(holder.id),
                    &origin,
                    Some(&format!("{} by {}", certificate.number, officer.public_id)),
                    now,
                )?;

                let certificate_type =
                    catalogue::find_type(transaction, certificate.certificate_type_id)?;
                let stored = certificates::find_by_number(transaction, &certificate.number)?
                    .ok_or(ApiError::NotFound)?;
                certificate_view(&stored, &certificate_type, &holder, today)
            })
        })
        .await?;

    state.mailer.wake_worker();
    Ok(certificate)
}
