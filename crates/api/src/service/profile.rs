//! The personal details, billing details and login address a person edits on Min Sida.

use chrono::TimeDelta;
use incert_contract::account::{Billing, EmailChangeRequest, MeUpdate, PostalAddress};
use incert_domain::{Email, MobileNumber, OrganisationNumber, PersonName, PostalCode};

use super::{Validation, language_of, stored_language};
use crate::http::AppState;
use crate::http::authentication::Authenticated;
use crate::http::error::{ApiError, FieldIssue};
use crate::mail::templates;
use crate::security::passwords::Verification;
use crate::security::secrets::generate_confirmation_code;
use crate::storage::accounts::{self, Account, DetailsChange};
use crate::storage::audit::{self, Origin, event};
use crate::storage::codes::{self, OneTimeCode, Purpose, end_reason};
use crate::storage::profile::{self, BillingDetails};
use crate::storage::{DbConnection, StorageError, outbox, throttle};

/// Minutes an email-change code stays valid.
pub const EMAIL_CHANGE_MINUTES: u32 = 30;
const MAX_EMAIL_CODE_ATTEMPTS: i32 = 5;
/// Email-change requests per account before further ones are refused for an hour.
const EMAIL_CHANGES_PER_HOUR: i32 = 5;
const EMAIL_CHANGE_SCOPE: &str = "email_change_requests";
/// Longest accepted free-text billing field, in characters.
const MAX_TEXT_CHARS: usize = 200;

fn caller_account(connection: &mut DbConnection, caller: &str) -> Result<Account, ApiError> {
    accounts::find_by_public_id(connection, caller)?.ok_or(ApiError::AuthenticationRequired)
}

/// Applies the fields present in `update`.
pub async fn update_details(
    state: &AppState,
    caller: &Authenticated,
    update: MeUpdate,
    origin: Origin,
) -> Result<Account, ApiError> {
    let mut validation = Validation::default();
    let first_name = update.first_name.as_deref().and_then(|name| {
        validation.check("first_name", PersonName::parse(name), |error| error.code())
    });
    let last_name = update.last_name.as_deref().and_then(|name| {
        validation.check("last_name", PersonName::parse(name), |error| error.code())
    });
    let mobile = match update.mobile.as_deref().map(str::trim) {
        None => None,
        Some("") => Some(None),
        Some(raw) => validation
            .check("mobile", MobileNumber::parse(raw), |error| error.code())
            .map(|mobile| Some(mobile.as_e164().to_owned())),
    };
    validation.finish()?;
    let now = state.clock.naive_now();
    let change = DetailsChange {
        first_name: first_name.map(String::from),
        last_name: last_name.map(String::from),
        mobile,
        language: update
            .language
            .map(|language| language_of(language).tag().to_owned()),
        updated_at: Some(now),
    };
    let public_id = caller.public_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                accounts::update_details(transaction, account.id, &change)?;
                audit::record(
                    transaction,
                    event::DETAILS_CHANGED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok(accounts::find(transaction, account.id)?)
            })
        })
        .await
}

/// Returns the billing details; an account that never saved any is invoiced by email to its
/// login address.
pub async fn billing(state: &AppState, caller: &Authenticated) -> Result<Billing, ApiError> {
    let account_id = caller.account.id;
    let stored = state
        .database
        .run(move |connection| profile::billing(connection, account_id).map_err(StorageError::from))
        .await?;

    Ok(match stored {
        Some(details) => to_contract(details),
        None => Billing {
            invoice_by_email: true,
            billing_email: Some(caller.account.email.clone()),
            address: None,
        },
    })
}

fn to_contract(details: BillingDetails) -> Billing {
    let address = match (details.street, details.postal_code, details.city) {
        (Some(street), Some(postal_code), Some(city)) => Some(PostalAddress {
            organisation_name: details.organisation_name,
            organisation_number: details.organisation_number,
            reference: details.reference,
            street,
            postal_code,
            city,
            country: details.country,
        }),
        _ => None,
    };
    Billing {
        invoice_by_email: details.invoice_by_email,
        billing_email: details.billing_email,
        address,
    }
}

/// Checks a free-text field: trimmed, at most 200 characters, no control characters. An empty
/// optional field becomes None.
fn text(
    validation: &mut Validation,
    field: &str,
    value: Option<&str>,
    required: bool,
) -> Option<String> {
    let trimmed = value.map(str::trim).filter(|value| !value.is_empty());
    match trimmed {
        None if required => {
            validation.add(field, "required");
            None
        }
        None => None,
        Some(value) if value.chars().count() > MAX_TEXT_CHARS => {
            validation.add(field, "text_too_long");
            None
        }
        Some(value)
            if value.chars().any(|character| {
                character.is_control() || super::is_invisible_format(character)
            }) =>
        {
            validation.add(field, "text_invalid_characters");
            None
        }
        Some(value) => Some(value.to_owned()),
    }
}

/// Replaces the billing details: an email address when invoices go by email, a postal
/// address otherwise. A postal address may be kept alongside an email invoice choice.
pub async fn replace_billing(
    state: &AppState,
    caller: &Authenticated,
    billing: Billing,
    origin: Origin,
) -> Result<Billing, ApiError> {
    let mut validation = Validation::default();
    let billing_email = match billing
        .billing_email
        .as_deref()
        .map(str::trim)
        .filter(|email| !email.is_empty())
    {
        Some(raw) => validation
            .check("billing_email", Email::parse(raw), |error| error.code())
            .filter(|email| {
                let deliverable = !email.requires_smtputf8();
                if !deliverable {
                    validation.add("billing_email", "email_local_part_not_ascii");
                }
                deliverable
            })
            .map(|email| email.as_str().to_owned()),
        None if billing.invoice_by_email => {
            validation.add("billing_email", "required");
            None
        }
        None => None,
    };
    if !billing.invoice_by_email && billing.address.is_none() {
        validation.add("address", "required");
    }
    let now = state.clock.naive_now();
    let mut details = BillingDetails {
        account_id: 0,
        invoice_by_email: billing.invoice_by_email,
        billing_email,
        organisation_name: None,
        organisation_number: None,
        reference: None,
        street: None,
        postal_code: None,
        city: None,
        country: None,
        updated_at: now,
    };
    if let Some(address) = &billing.address {
        let country = address
            .country
            .as_deref()
            .map_or("SE", str::trim)
            .to_ascii_uppercase();
        if country.len() != 2 || !country.bytes().all(|byte| byte.is_ascii_uppercase()) {
            validation.add("address.country", "country_invalid");
        }
        details.organisation_name = text(
            &mut validation,
            "address.organisation_name",
            address.organisation_name.as_deref(),
            false,
        );
        details.reference = text(
            &mut validation,
            "address.reference",
            address.reference.as_deref(),
            false,
        );
        details.street = text(
            &mut validation,
            "address.street",
            Some(&address.street),
            true,
        );
        details.city = text(&mut validation, "address.city", Some(&address.city), true);
        details.organisation_number = match address
            .organisation_number
            .as_deref()
            .map(str::trim)
            .filter(|number| !number.is_empty())
        {
            Some(raw) => validation
                .check(
                    "address.organisation_number",
                    OrganisationNumber::parse(raw),
                    |error| error.code(),
                )
                .map(String::from),
            None => None,
        };
        details.postal_code = validation
            .check(
                "address.postal_code",
                PostalCode::parse(&address.postal_code, &country),
                |error| error.code(),
            )
            .map(|code| code.as_str().to_owned());
        details.country = Some(country);
    }
    validation.finish()?;
    let public_id = caller.public_id.clone();

    let stored = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                details.account_id = account.id;
                profile::replace_billing(transaction, &details)?;
                audit::record(
                    transaction,
                    event::BILLING_CHANGED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok::<_, ApiError>(details)
            })
        })
        .await?;

    Ok(to_contract(stored))
}

/// Emails a code to the new address. The login address changes only when the code is
/// confirmed, so a typo cannot lock the person out.
pub async fn start_email_change(
    state: &AppState,
    caller: &Authenticated,
    request: EmailChangeRequest,
    origin: Origin,
) -> Result<(), ApiError> {
    let mut validation = Validation::default();
    let new_email = super::deliverable_email(&mut validation, "new_email", &request.new_email);
    if request.current_password.is_empty() {
        validation.add("current_password", "required");
    }
    validation.finish()?;
    let Some(new_email) = new_email else {
        return Err(ApiError::Validation(Vec::new()));
    };
    let now = state.clock.naive_now();

    // Each request mails a stranger's address, so requests are capped per account.
    let public_id = caller.public_id.clone();
    let account = state
        .database
        .run(move |connection| {
            let account = caller_account(connection, &public_id)?;
            let forget_before = now - TimeDelta::hours(1);
            let requests = throttle::record_failure(
                connection,
                EMAIL_CHANGE_SCOPE,
                &public_id,
                now,
                forget_before,
            )?;
            if requests > EMAIL_CHANGES_PER_HOUR {
                return Err(ApiError::RateLimited {
                    retry_after: std::time::Duration::from_secs(60 * 60),
                });
            }
            Ok(account)
        })
        .await?;
    let verification = state
        .password_hasher
        .verify(request.current_password, Some(account.password_hash))
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    if matches!(verification, Verification::Mismatch) {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "current_password",
            "current_password_incorrect",
        )]));
    }
    let change_id = uuid::Uuid::new_v4().simple().to_string();
    let code = generate_confirmation_code();
    let code_hash = state
        .code_hasher
        .hash(Purpose::EmailChange.as_str(), &change_id, &code);
    let mailer = state.mailer.clone();
    let public_id = caller.public_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                if account.email_key == new_email.normalized_key() {
                    return Err(ApiError::Validation(vec![FieldIssue::new(
                        "new_email",
                        "email_unchanged",
                    )]));
                }
                let change = OneTimeCode {
                    new_email: Some(new_email.as_str().to_owned()),
                    new_email_key: Some(new_email.normalized_key()),
                    ..OneTimeCode::new(
                        Purpose::EmailChange,
                        change_id,
                        account.id,
                        code_hash,
                        now,
                        TimeDelta::minutes(i64::from(EMAIL_CHANGE_MINUTES)),
                    )
                };
                codes::start(transaction, &change)?;
                let letter = templates::email_change_code(
                    stored_language(&account.language),
                    new_email.as_str(),
                    &code,
                    EMAIL_CHANGE_MINUTES,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(new_email.as_str(), &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::EMAIL_CHANGE_REQUESTED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok(())
            })
        })
        .await?;
    state.mailer.wake_worker();
    Ok(())
}

/// Moves the login to the new address when the code matches, and tells the old address.
pub async fn confirm_email_change(
    state: &AppState,
    caller: &Authenticated,
    code: String,
    origin: Origin,
) -> Result<(), ApiError> {
    let code = code.trim().to_owned();
    if code.len() != 8 || !code.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(ApiError::Validation(vec![FieldIssue::new(
            "code",
            "reset_code_format",
        )]));
    }
    let now = state.clock.naive_now();
    let hasher = state.code_hasher.clone();
    let mailer = state.mailer.clone();
    let public_id = caller.public_id.clone();
    let invalid =
        || ApiError::Validation(vec![FieldIssue::new("code", "email_change_code_invalid")]);

    let outcome = state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let account = caller_account(transaction, &public_id)?;
                let Some(change) =
                    codes::open_for_account(transaction, account.id, Purpose::EmailChange, now)?
                else {
                    return Ok(Err(invalid()));
                };
                if !hasher.verify(
                    Purpose::EmailChange.as_str(),
                    &change.id,
                    &code,
                    &change.code_hash,
                ) {
                    codes::record_wrong_attempt(
                        transaction,
                        &change.id,
                        MAX_EMAIL_CODE_ATTEMPTS,
                        now,
                    )?;
                    audit::record(
                        transaction,
                        event::EMAIL_CHANGE_FAILED,
                        Some(account.id),
                        &origin,
                        None,
                        now,
                    )?;
                    // Kept: the failed attempt must count even though the request fails.
                    return Ok(Err(invalid()));
                }
                let (Some(new_email), Some(new_email_key)) =
                    (change.new_email.clone(), change.new_email_key.clone())
                else {
                    return Ok(Err(invalid()));
                };
                if accounts::find_by_email_key(transaction, &new_email_key)?.is_some() {
                    codes::end(transaction, &change.id, end_reason::SUPERSEDED, now)?;
                    return Ok(Err(ApiError::EmailTaken));
                }
                codes::end(transaction, &change.id, end_reason::USED, now)?;
                match accounts::set_email(transaction, account.id, &new_email, &new_email_key, now)
                {
                    // Another account took the address after the check above.
                    Err(diesel::result::Error::DatabaseError(
                        diesel::result::DatabaseErrorKind::UniqueViolation,
                        _,
                    )) => {
                        return Err(ApiError::EmailTaken);
                    }
                    other => other?,
                };
                let letter = templates::email_changed(
                    stored_language(&account.language),
                    &account.email,
                    &new_email,
                );
                outbox::enqueue(
                    transaction,
                    &mailer.compose(&account.email, &letter.subject, letter.body, None),
                )?;
                audit::record(
                    transaction,
                    event::EMAIL_CHANGED,
                    Some(account.id),
                    &origin,
                    None,
                    now,
                )?;
                Ok::<_, ApiError>(Ok(()))
            })
        })
        .await?;
    state.mailer.wake_worker();
    outcome
}
