//! "Ansök om nytt certifikat": a person's applications on Min Sida.

use incert_contract::ErrorCode;
use incert_contract::certification::{Application, ApplicationRequest};
use incert_domain::{ApplicationState, CertificateNumber};

use super::{application_view, application_views, caller_account, parse_state};
use crate::http::AppState;
use crate::http::authentication::Authenticated;
use crate::http::error::{ApiError, FieldIssue};
use crate::storage::applications::{self, NewApplication};
use crate::storage::audit::{self, Origin, event};
use crate::storage::{catalogue, certificates};

/// Longest accepted certificate type code, in characters.
const MAX_TYPE_CODE_CHARS: usize = 40;

fn invalid(field: &str, code: &str) -> ApiError {
    ApiError::Validation(vec![FieldIssue::new(field, code)])
}

/// Files an application for a certificate type, or for recertification of one of the
/// caller's certificates.
pub async fn apply(
    state: &AppState,
    caller: &Authenticated,
    request: ApplicationRequest,
    origin: Origin,
) -> Result<Application, ApiError> {
    let type_code = request.certificate_type.trim().to_owned();
    if type_code.is_empty() {
        return Err(invalid("certificate_type", "required"));
    }
    if type_code.chars().count() > MAX_TYPE_CODE_CHARS {
        return Err(invalid("certificate_type", "certificate_type_unknown"));
    }
    let renews = match request.renews_certificate.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(number) => Some(
            CertificateNumber::parse(number)
                .map_err(|error| invalid("renews_certificate", error.code()))?,
        ),
    };
    let now = state.clock.naive_now();
    let today = crate::service::today_in_sweden(state.clock.now());
    let public_id = caller.public_id.clone();

    let application = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                let certificate_type = catalogue::find_type_by_code(transaction, &type_code)?
                    .ok_or_else(|| invalid("certificate_type", "certificate_type_unknown"))?;
                if certificate_type.retired_at.is_some() {
                    return Err(invalid("certificate_type", "certificate_type_retired"));
                }
                // NOTE: company certificates need a company account, which the portal does
                // not have yet; staff register those applications outside the portal.
                if certificate_type.holder_kind == "company" {
                    return Err(invalid(
                        "certificate_type",
                        "certificate_type_for_companies",
                    ));
                }

                let renews_certificate_id = match &renews {
                    None => None,
                    Some(number) => {
                        let renewed = certificates::find_by_number(transaction, number.as_str())?
                            .filter(|certificate| certificate.account_id == account.id)
                            .ok_or_else(|| {
                                invalid("renews_certificate", "certificate_not_found")
                            })?;
                        if renewed.certificate_type_id != certificate_type.id {
                            return Err(invalid(
                                "renews_certificate",
                                "certificate_of_another_type",
                            ));
                        }
                        if renewed.withdrawn_on.is_some() {
                            return Err(invalid("renews_certificate", "certificate_withdrawn"));
                        }
                        if renewed.replaced_on.is_some() {
                            return Err(invalid("renews_certificate", "certificate_replaced"));
                        }
                        Some(renewed.id)
                    }
                };

                // A holder renews a current certificate by recertification, not by a second one.
                if renews_certificate_id.is_none()
                    && certificates::find_current(
                        transaction,
                        account.id,
                        certificate_type.id,
                        today,
                    )?
                    .is_some()
                {
                    return Err(ApiError::Conflict(ErrorCode::CertificateAlreadyHeld));
                }
                if applications::find_open(transaction, account.id, certificate_type.id)?.is_some()
                {
                    return Err(ApiError::Conflict(ErrorCode::ApplicationAlreadyOpen));
                }
                let new = NewApplication {
                    public_id: uuid::Uuid::new_v4().to_string(),
                    account_id: account.id,
                    certificate_type_id: certificate_type.id,
                    kind: if renews_certificate_id.is_some() {
                        "recertification"
                    } else {
                        "new"
                    }
                    .to_owned(),
                    renews_certificate_id,
                    state: ApplicationState::Received.code().to_owned(),
                    source: "person".to_owned(),
                    created_at: now,
                    updated_at: now,
                };
                let id = match applications::insert(transaction, &new) {
                    // A concurrent request filed the same application after the check above.
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => return Err(ApiError::Conflict(ErrorCode::ApplicationAlreadyOpen)),
                    other => other?,
                };
                audit::record(
                    transaction,
                    event::APPLICATION_SUBMITTED,
                    Some(account.id),
                    &origin,
                    Some(&certificate_type.code),
                    now,
                )?;
                let stored = applications::find(transaction, id)?;
                application_view(transaction, &stored)
            })
        })
        .await?;

    tracing::info!(application = %application.id, certificate_type = %application.certificate_type, "application submitted");
    Ok(application)
}

/// Lists the caller's applications, newest first.
pub async fn list_own(
    state: &AppState,
    caller: &Authenticated,
) -> Result<Vec<Application>, ApiError> {
    let account_id = caller.account.id;
    state
        .database
        .run(move |connection| {
            let stored = applications::for_account(connection, account_id)?;
            application_views(connection, &stored)
        })
        .await
}

/// Withdraws one of the caller's applications that is not yet decided.
pub async fn withdraw(
    state: &AppState,
    caller: &Authenticated,
    application_id: String,
    origin: Origin,
) -> Result<Application, ApiError> {
    let now = state.clock.naive_now();
    let public_id = caller.public_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                let application = applications::find_by_public_id(transaction, &application_id)?
                    .filter(|application| application.account_id == account.id)
                    .ok_or(ApiError::NotFound)?;
                let current = parse_state(&application.state)?;
                let withdrawn = current
                    .transition(ApplicationState::Withdrawn)
                    .map_err(|_| ApiError::Conflict(ErrorCode::ApplicationTransitionNotAllowed))?;
                let changed = applications::set_state(
                    transaction,
                    application.id,
                    current.code(),
                    withdrawn.code(),
                    now,
                )?;
                if !changed {
                    return Err(ApiError::Conflict(
                        ErrorCode::ApplicationTransitionNotAllowed,
                    ));
                }
                audit::record(
                    transaction,
                    event::APPLICATION_WITHDRAWN,
                    Some(account.id),
                    &origin,
                    Some(&application.public_id),
                    now,
                )?;
                let stored = applications::find(transaction, application.id)?;
                application_view(transaction, &stored)
            })
        })
        .await
}
