//! Registration of personal accounts.

use chrono::{NaiveDate, TimeDelta};
use diesel::Connection;
use incert_contract::auth::OtherRegistrationRequest;
use incert_domain::{Email, MobileNumber, PersonName};

use super::{Validation, language_of};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::i18n::Language;
use crate::mail::templates;
use crate::security::secrets::generate_initial_password;
use crate::storage::accounts::{self, NewAccount};
use crate::storage::audit::{self, Origin, event};
use crate::storage::outbox;

/// Earliest accepted date of birth.
const EARLIEST_BIRTH_DATE: Option<NaiveDate> = NaiveDate::from_ymd_opt(1900, 1, 1);

/// Role of an account made through registration.
pub const PERSON_ROLE: &str = "person";

/// A validated registration of a person without a Swedish personnummer.
#[derive(Debug)]
pub struct OtherRegistration {
    pub email: Email,
    pub birth_date: NaiveDate,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub mobile: Option<MobileNumber>,
    pub language: Language,
}

/// Checks every field and names each invalid one.
pub fn validate_other(
    request: OtherRegistrationRequest,
    today: NaiveDate,
) -> Result<OtherRegistration, ApiError> {
    let mut validation = Validation::default();
    let email = validation.check("email", Email::parse(&request.email), |error| error.code());
    let birth_date = parse_birth_date(&mut validation, &request.birth_date, today);
    let first_name = validation.check(
        "first_name",
        PersonName::parse(&request.first_name),
        |error| error.code(),
    );
    let last_name = validation.check(
        "last_name",
        PersonName::parse(&request.last_name),
        |error| error.code(),
    );
    let mobile = match request.mobile.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(raw) => validation.check("mobile", MobileNumber::parse(raw), |error| error.code()),
    };

    match (
        email,
        birth_date,
        first_name,
        last_name,
        validation.is_valid(),
    ) {
        (Some(email), Some(birth_date), Some(first_name), Some(last_name), true) => {
            Ok(OtherRegistration {
                email,
                birth_date,
                first_name,
                last_name,
                mobile,
                language: language_of(request.language.unwrap_or_default()),
            })
        }
        _ => Err(validation
            .finish()
            .err()
            .unwrap_or(ApiError::Validation(Vec::new()))),
    }
}

fn parse_birth_date(validation: &mut Validation, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let Ok(date) = NaiveDate::parse_from_str(raw.trim(), "%Y-%m-%d") else {
        validation.add("birth_date", "birth_date_invalid");
        return None;
    };
    if EARLIEST_BIRTH_DATE.is_some_and(|earliest| date < earliest) || date > today {
        validation.add("birth_date", "birth_date_out_of_range");
        return None;
    }
    Some(date)
}

/// Creates the account and emails its first-time password, or, when the address already has
/// an account, emails its owner instead. The caller cannot tell the two apart: both take one
/// password hash and one transaction and end with one queued email.
pub async fn register_other(
    state: &AppState,
    registration: OtherRegistration,
    origin: Origin,
) -> Result<(), ApiError> {
    let now = state.clock.now();
    let initial_password = generate_initial_password();
    let password_hash = state
        .password_hasher
        .hash(initial_password.clone())
        .await
        .map_err(|error| ApiError::Internal(error.to_string()))?;
    let valid_until =
        now + TimeDelta::days(i64::try_from(state.settings.initial_password_days).unwrap_or(7));
    let public_url = state.settings.public_url.clone();
    let language = registration.language;

    let welcome = templates::welcome(
        language,
        registration.first_name.as_str(),
        registration.email.as_str(),
        &initial_password,
        valid_until,
        &public_url,
    );
    let notice = templates::already_registered(language, registration.email.as_str(), &public_url);
    let welcome_mail = state.mailer.compose(
        registration.email.as_str(),
        &welcome.subject,
        welcome.body,
        None,
    );
    let notice_mail = state.mailer.compose(
        registration.email.as_str(),
        &notice.subject,
        notice.body,
        None,
    );
    let account = NewAccount {
        public_id: uuid::Uuid::new_v4().simple().to_string(),
        email: registration.email.as_str().to_owned(),
        email_key: registration.email.normalized_key(),
        first_name: registration.first_name.as_str().to_owned(),
        last_name: registration.last_name.as_str().to_owned(),
        birth_date: Some(registration.birth_date),
        personnummer: None,
        mobile: registration
            .mobile
            .as_ref()
            .map(|mobile| mobile.as_e164().to_owned()),
        language: language.tag().to_owned(),
        role: PERSON_ROLE.to_owned(),
        password_hash,
        must_change_password: true,
        initial_password_expires_at: Some(valid_until.naive_utc()),
        created_at: now.naive_utc(),
        updated_at: now.naive_utc(),
    };

    let created = state
        .database
        .run(move |connection| {
            connection
                .transaction(|transaction| {
                    if let Some(existing) =
                        accounts::find_by_email_key(transaction, &account.email_key)?
                    {
                        outbox::enqueue(transaction, &notice_mail)?;
                        audit::record(
                            transaction,
                            event::REGISTRATION_FOR_EXISTING_EMAIL,
                            Some(existing.id),
                            &origin,
                            None,
                            account.created_at,
                        )?;
                        return Ok(false);
                    }
                    let id = accounts::insert(transaction, &account)?;
                    outbox::enqueue(transaction, &welcome_mail)?;
                    audit::record(
                        transaction,
                        event::REGISTERED,
                        Some(id),
                        &origin,
                        Some("other_citizenship"),
                        account.created_at,
                    )?;
                    Ok(true)
                })
                .map_err(super::storage)
        })
        .await;

    match created {
        Ok(created) => {
            tracing::info!(email = %registration.email.masked(), created, "registration handled");
        }
        // Two registrations of one address raced and the other one created the account.
        Err(crate::storage::StorageError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => {
            tracing::info!(email = %registration.email.masked(), "registration lost a race for the same address");
        }
        Err(error) => return Err(error.into()),
    }
    state.mailer.wake_worker();
    Ok(())
}

/// Roles of certification-body staff. `case_officer` decides applications and issues
/// certificates; `administrator` also manages the catalogue, centres and staff.
pub const STAFF_ROLES: [&str; 2] = ["case_officer", "administrator"];

/// A staff account could not be created.
#[derive(Debug, thiserror::Error)]
pub enum StaffError {
    #[error("invalid {field}: {code}")]
    Invalid {
        field: &'static str,
        code: &'static str,
    },
    #[error("unknown role {0:?}; expected one of: case_officer, administrator")]
    UnknownRole(String),
    #[error("an account with this email address already exists")]
    EmailTaken,
    #[error("{0}")]
    Failed(String),
}

/// The details of a new staff account, as typed by an administrator.
#[derive(Debug, Clone, Copy)]
pub struct NewStaff<'a> {
    pub email: &'a str,
    pub first_name: &'a str,
    pub last_name: &'a str,
    pub role: &'a str,
}

/// Creates a staff account with a first-time password, emailed like a person's, and returns
/// its public id.
pub async fn create_staff(
    security: &crate::server::Security,
    database: &crate::storage::Database,
    mailer: &crate::mail::Mailer,
    settings: &crate::config::Settings,
    staff: &NewStaff<'_>,
) -> Result<String, StaffError> {
    let NewStaff {
        email,
        first_name,
        last_name,
        role,
    } = *staff;
    let email = Email::parse(email).map_err(|error| StaffError::Invalid {
        field: "email",
        code: error.code(),
    })?;
    let first_name = PersonName::parse(first_name).map_err(|error| StaffError::Invalid {
        field: "first name",
        code: error.code(),
    })?;
    let last_name = PersonName::parse(last_name).map_err(|error| StaffError::Invalid {
        field: "last name",
        code: error.code(),
    })?;
    if !STAFF_ROLES.contains(&role) {
        return Err(StaffError::UnknownRole(role.to_owned()));
    }
    let now = chrono::Utc::now();
    let initial_password = generate_initial_password();
    let password_hash = security
        .password_hasher
        .hash(initial_password.clone())
        .await
        .map_err(|error| StaffError::Failed(error.to_string()))?;
    let valid_until =
        now + TimeDelta::days(i64::try_from(settings.initial_password_days).unwrap_or(7));
    let letter = templates::welcome(
        Language::Swedish,
        first_name.as_str(),
        email.as_str(),
        &initial_password,
        valid_until,
        &settings.public_url,
    );
    let mail = mailer.compose(email.as_str(), &letter.subject, letter.body, None);
    let account = NewAccount {
        public_id: uuid::Uuid::new_v4().simple().to_string(),
        email: email.as_str().to_owned(),
        email_key: email.normalized_key(),
        first_name: first_name.as_str().to_owned(),
        last_name: last_name.as_str().to_owned(),
        birth_date: None,
        personnummer: None,
        mobile: None,
        language: Language::Swedish.tag().to_owned(),
        role: role.to_owned(),
        password_hash,
        must_change_password: true,
        initial_password_expires_at: Some(valid_until.naive_utc()),
        created_at: now.naive_utc(),
        updated_at: now.naive_utc(),
    };
    let public_id = account.public_id.clone();

    database
        .run(move |connection| {
            connection.transaction(|transaction| {
                if accounts::find_by_email_key(transaction, &account.email_key)?.is_some() {
                    return Ok(false);
                }
                let id = accounts::insert(transaction, &account)?;
                outbox::enqueue(transaction, &mail)?;
                audit::record(
                    transaction,
                    event::REGISTERED,
                    Some(id),
                    &Origin::default(),
                    Some("staff"),
                    account.created_at,
                )?;
                Ok::<_, crate::storage::StorageError>(true)
            })
        })
        .await
        .map_err(|error| StaffError::Failed(error.to_string()))?
        .then_some(public_id)
        .ok_or(StaffError::EmailTaken)
}
