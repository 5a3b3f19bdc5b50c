//! Registration of personal accounts.

use chrono::{NaiveDate, TimeDelta};
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
use crate::storage::{bankid_orders, outbox, throttle};

/// Earliest accepted date of birth.
const EARLIEST_BIRTH_DATE: Option<NaiveDate> = NaiveDate::from_ymd_opt(1900, 1, 1);

/// "Already registered" notices one account receives before further ones are dropped until an
/// hour passes without one.
const NOTICES_PER_HOUR: i32 = 3;
const NOTICE_SCOPE: &str = "registration_notices";

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
    let email = super::deliverable_email(&mut validation, "email", &request.email);
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
    let raw = raw.trim();
    // chrono also reads `1980-1-1` and `+1980-01-01`; only the ISO form YYYY-MM-DD is accepted.
    let iso_shape = raw.len() == 10
        && raw.bytes().enumerate().all(|(index, byte)| {
            if index == 4 || index == 7 {
                byte == b'-'
            } else {
                byte.is_ascii_digit()
            }
        });
    let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .ok()
        .filter(|_| iso_shape);
    let Some(date) = parsed else {
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
    let person = NewPerson {
        email: registration.email,
        first_name: registration.first_name,
        last_name: registration.last_name,
        birth_date: Some(registration.birth_date),
        personnummer: None,
        mobile: registration.mobile,
        language: registration.language,
    };
    register_person(state, person, origin, "other_citizenship", |_| Ok(())).await?;
    Ok(())
}

/// The details of a person to register, validated.
#[derive(Debug)]
pub struct NewPerson {
    pub email: Email,
    pub first_name: PersonName,
    pub last_name: PersonName,
    pub birth_date: Option<NaiveDate>,
    /// The personnummer in its 12-digit form, for people registered through BankID. It is
    /// stored sealed, with a keyed hash for lookups.
    pub personnummer: Option<String>,
    pub mobile: Option<MobileNumber>,
    pub language: Language,
}

/// Creates the account of `person` and emails its first-time password, or, when the email
/// address or the personnummer already has an account, emails that account's owner instead.
/// `finish` runs inside the same transaction in both cases, and its error rolls the whole
/// registration back. Returns whether an account was created; false also when a concurrent
/// registration of the same person won the race.
pub(crate) async fn register_person<F>(
    state: &AppState,
    person: NewPerson,
    origin: Origin,
    channel: &'static str,
    finish: F,
) -> Result<bool, ApiError>
where
    F: FnOnce(&mut crate::storage::DbConnection) -> diesel::QueryResult<()> + Send + 'static,
{
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
    let language = person.language;

    let welcome = templates::welcome(
        language,
        person.first_name.as_str(),
        person.email.as_str(),
        &initial_password,
        valid_until,
        &public_url,
    );
    let welcome_mail =
        state
            .mailer
            .compose(person.email.as_str(), &welcome.subject, welcome.body, None);
    let mailer = state.mailer.clone();
    let sealed_personnummer = match person.personnummer.as_deref() {
        Some(number) => Some(
            state
                .personnummer_vault
                .seal(number)
                .map_err(|error| ApiError::Internal(error.to_string()))?,
        ),
        None => None,
    };
    let personnummer_hash = person
        .personnummer
        .as_deref()
        .map(|number| state.personnummer_vault.lookup_hash(number));
    let account = NewAccount {
        public_id: uuid::Uuid::new_v4().simple().to_string(),
        email: person.email.as_str().to_owned(),
        email_key: person.email.normalized_key(),
        first_name: person.first_name.as_str().to_owned(),
        last_name: person.last_name.as_str().to_owned(),
        birth_date: person.birth_date,
        personnummer: sealed_personnummer,
        personnummer_hash: personnummer_hash.clone(),
        mobile: person
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
                .write_transaction(|transaction| {
                    let existing =
                        match accounts::find_by_email_key(transaction, &account.email_key)? {
                            Some(existing) => Some(existing),
                            None => match personnummer_hash.as_deref() {
                                Some(hash) => {
                                    bankid_orders::find_account_by_personnummer(transaction, hash)?
                                }
                                None => None,
                            },
                        };
                    if let Some(existing) = existing {
                        // The notice goes to the existing account's address, which differs
                        // from the entered one when only the personnummer matched.
                        let notice =
                            templates::already_registered(language, &existing.email, &public_url);
                        let notice_mail =
                            mailer.compose(&existing.email, &notice.subject, notice.body, None);
                        // Repeated registrations would otherwise mail the owner at will.
                        let forget_before = account.created_at - TimeDelta::hours(1);
                        let notices = throttle::record_failure(
                            transaction,
                            NOTICE_SCOPE,
                            &existing.public_id,
                            account.created_at,
                            forget_before,
                        )?;
                        if notices <= NOTICES_PER_HOUR {
                            outbox::enqueue(transaction, &notice_mail)?;
                        }
                        audit::record(
                            transaction,
                            event::REGISTRATION_FOR_EXISTING_EMAIL,
                            Some(existing.id),
                            &origin,
                            Some(channel),
                            account.created_at,
                        )?;
                        finish(transaction)?;
                        return Ok(false);
                    }
                    let id = accounts::insert(transaction, &account)?;
                    outbox::enqueue(transaction, &welcome_mail)?;
                    audit::record(
                        transaction,
                        event::REGISTERED,
                        Some(id),
                        &origin,
                        Some(channel),
                        account.created_at,
                    )?;
                    finish(transaction)?;
                    Ok(true)
                })
                .map_err(super::storage)
        })
        .await;

    let created = match created {
        Ok(created) => {
            tracing::info!(email = %person.email.masked(), created, "registration handled");
            created
        }
        // Two registrations of one person raced and the other one created the account.
        Err(crate::storage::StorageError::Query(diesel::result::Error::DatabaseError(
            diesel::result::DatabaseErrorKind::UniqueViolation,
            _,
        ))) => {
            tracing::info!(email = %person.email.masked(), "registration lost a race for the same person");
            false
        }
        Err(error) => return Err(error.into()),
    };
    state.mailer.wake_worker();
    Ok(created)
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
        personnummer_hash: None,
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
            connection.write_transaction(|transaction| {
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
