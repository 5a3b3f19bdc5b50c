//! Enrolling candidates on exam sessions, with `Idempotency-Key` replays.
//!
//! An enrolment needs a personal account: found by the keyed hash of the personnummer, or
//! for people without one by login address and birth date. It attaches to the person's open
//! application of the session's certificate type, or starts one with source `centre`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use incert_contract::ErrorCode;
use incert_contract::centre::EnrolmentRequest;
use incert_domain::personnummer::ParseOptions;
use incert_domain::{Email, Personnummer};

use super::sessions::to_contract_enrolments;
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::oauth::CentreClient;
use crate::security::secrets::CodeHasher;
use crate::security::vault::PersonnummerVault;
use crate::service::{Validation, today_in_sweden};
use crate::storage::accounts::{self, Account};
use crate::storage::applications::{self, Application, NewApplication};
use crate::storage::audit::{self, Origin, event};
use crate::storage::centres::{self, NewEnrolment};
use crate::storage::idempotency::{self, StoredRequest};
use crate::storage::{DbConnection, StorageError, bankid_orders};
use crate::storage::{catalogue, certificates};

/// Route part of the idempotency scope of enrolments; the centre's public id precedes it.
const ENROLMENT_ROUTE: &str = "POST /api/v1/centre/exam-sessions/{id}/enrolments";

/// Purpose under which [`CodeHasher`] hashes enrolment requests for idempotency. The hash is
/// keyed because a request contains a personnummer, which a plain SHA-256 would let anyone
/// with the database recover by trying every number.
const REQUEST_HASH_PURPOSE: &str = "idempotent_request";

/// Longest accepted `Idempotency-Key`, in characters.
const MAX_KEY_CHARS: usize = 255;

/// Candidate named by the centre: by personnummer, or by login address and birth date.
#[derive(Debug, Clone)]
enum Candidate {
    Personnummer(Personnummer),
    Email { email: Email, birth_date: NaiveDate },
}

/// Response to an enrolment request: new, or replayed from an earlier request with the same
/// `Idempotency-Key`.
#[derive(Debug, Clone)]
pub struct EnrolmentOutcome {
    pub status: u16,
    /// The JSON body, exactly as first sent.
    pub body: String,
    pub replayed: bool,
}

/// Checks an `Idempotency-Key` header value: 1–255 visible ASCII characters.
pub fn check_idempotency_key(raw: &[u8]) -> Result<String, ApiError> {
    let valid = !raw.is_empty()
        && raw.len() <= MAX_KEY_CHARS
        && raw.iter().all(|byte| (0x21..=0x7e).contains(byte));
    match std::str::from_utf8(raw) {
        Ok(key) if valid => Ok(key.to_owned()),
        _ => Err(ApiError::Validation(vec![
            crate::http::error::FieldIssue::new("Idempotency-Key", "idempotency_key_invalid"),
        ])),
    }
}

/// Checks that the request names the candidate in exactly one of the two forms.
fn validate(request: &EnrolmentRequest, today: NaiveDate) -> Result<Candidate, ApiError> {
    let mut validation = Validation::default();
    let present = |value: &Option<String>| {
        value
            .as_deref()
            .map(str::trim)
            .filter(|value| !value.is_empty())
            .map(str::to_owned)
    };
    let (personnummer, email, birth_date) = (
        present(&request.personnummer),
        present(&request.email),
        present(&request.birth_date),
    );

    let candidate = match (personnummer, email, birth_date) {
        (Some(personnummer), email, birth_date) => {
            if email.is_some() {
                validation.add("email", "not_allowed_with_personnummer");
            }
            if birth_date.is_some() {
                validation.add("birth_date", "not_allowed_with_personnummer");
            }
            validation
                .check(
                    "personnummer",
                    Personnummer::parse(&personnummer, today, ParseOptions::default()),
                    |error| error.code(),
                )
                .map(Candidate::Personnummer)
        }
        (None, None, None) => {
            validation.add("personnummer", "required");
            None
        }
        (None, email, birth_date) => {
            let email = match email {
                Some(raw) => validation.check("email", Email::parse(&raw), |error| error.code()),
                None => {
                    validation.add("email", "required");
                    None
                }
            };
            let birth_date = match birth_date {
                Some(raw) => parse_birth_date(&mut validation, &raw, today),
                None => {
                    validation.add("birth_date", "required");
                    None
                }
            };
            email
                .zip(birth_date)
                .map(|(email, birth_date)| Candidate::Email { email, birth_date })
        }
    };
    validation.finish()?;
    candidate.ok_or(ApiError::Validation(Vec::new()))
}

fn parse_birth_date(validation: &mut Validation, raw: &str, today: NaiveDate) -> Option<NaiveDate> {
    let Ok(date) = NaiveDate::parse_from_str(raw, "%Y-%m-%d") else {
        validation.add("birth_date", "birth_date_invalid");
        return None;
    };
    let earliest = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or(NaiveDate::MIN);
    if date > today || date < earliest {
        validation.add("birth_date", "birth_date_out_of_range");
        return None;
    }
    Some(date)
}

/// Hashes the request as its canonical JSON together with the session id, keyed so that the
/// stored hash does not reveal a personnummer.
fn request_hash(hasher: &CodeHasher, session_id: &str, request: &EnrolmentRequest) -> String {
    let canonical = serde_json::to_string(request).unwrap_or_default();
    hasher.hash(REQUEST_HASH_PURPOSE, session_id, &canonical)
}

/// A failure inside the enrolment transaction.
#[derive(Debug)]
enum EnrolError {
    Api(ApiError),
    /// A concurrent request inserted a conflicting row first. Running the transaction again
    /// reads that row.
    Race,
}

impl From<ApiError> for EnrolError {
    fn from(error: ApiError) -> Self {
        Self::Api(error)
    }
}

impl From<StorageError> for EnrolError {
    fn from(error: StorageError) -> Self {
        Self::Api(error.into())
    }
}

impl From<DieselError> for EnrolError {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => Self::Race,
            other => Self::Api(other.into()),
        }
    }
}

/// Everything the transaction needs, moved onto the blocking thread.
#[derive(Debug, Clone)]
struct EnrolmentJob {
    caller: CentreClient,
    session_id: String,
    candidate: Candidate,
    /// The key and the request hash, when the request had a key.
    idempotency: Option<(String, String)>,
    personnummer_hash: Option<String>,
    vault: PersonnummerVault,
    origin: Origin,
    now: NaiveDateTime,
}

/// Enrols a candidate on one of the caller's sessions. A request whose `Idempotency-Key` was
/// used before with the same body receives the first response again. With another body it
/// is rejected with `idempotency_key_reused`.
pub async fn enrol(
    state: &AppState,
    caller: &CentreClient,
    session_id: String,
    request: EnrolmentRequest,
    idempotency_key: Option<String>,
    origin: Origin,
) -> Result<EnrolmentOutcome, ApiError> {
    let now = state.clock.now();
    let candidate = validate(&request, today_in_sweden(now))?;
    let personnummer_hash = match &candidate {
        Candidate::Personnummer(personnummer) => Some(
            state
                .personnummer_vault
                .lookup_hash(&personnummer.to_long()),
        ),
        Candidate::Email { .. } => None,
    };
    let idempotency = idempotency_key.map(|key| {
        let hash = request_hash(&state.code_hasher, &session_id, &request);
        (key, hash)
    });
    let job = EnrolmentJob {
        caller: caller.clone(),
        session_id,
        candidate,
        idempotency,
        personnummer_hash,
        vault: state.personnummer_vault.clone(),
        origin,
        now: now.naive_utc(),
    };

    // A unique violation means that a concurrent request committed first. The second run
    // reads its rows and responds as if the requests had come one after the other.
    match run_once(state, job.clone()).await {
        Err(EnrolError::Race) => match run_once(state, job).await {
            Err(EnrolError::Race) => Err(ApiError::Conflict(ErrorCode::AlreadyEnrolled)),
            Err(EnrolError::Api(error)) => Err(error),
            Ok(outcome) => Ok(outcome),
        },
        Err(EnrolError::Api(error)) => Err(error),
        Ok(outcome) => Ok(outcome),
    }
}

async fn run_once(state: &AppState, job: EnrolmentJob) -> Result<EnrolmentOutcome, EnrolError> {
    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| enrol_in(transaction, &job))
        })
        .await
}

/// Finds the account the centre named; None unless every given detail matches. An account
/// with a personnummer is found only by it.
fn find_candidate(
    connection: &mut DbConnection,
    job: &EnrolmentJob,
) -> Result<Option<Account>, DieselError> {
    match (&job.candidate, &job.personnummer_hash) {
        (Candidate::Personnummer(_), Some(hash)) => {
            bankid_orders::find_account_by_personnummer(connection, hash)
        }
        (Candidate::Email { email, birth_date }, _) => {
            let account = accounts::find_by_email_key(connection, &email.normalized_key())?;
            Ok(account.filter(|account| {
                account.personnummer_hash.is_none() && account.birth_date == Some(*birth_date)
            }))
        }
        (Candidate::Personnummer(_), None) => Ok(None),
    }
}

/// Returns the id of the candidate's open application of the type, moved to `awaiting_exam`,
/// or of a new one from the centre.
fn attach_application(
    connection: &mut DbConnection,
    account_id: i64,
    certificate_type_id: i64,
    now: NaiveDateTime,
) -> Result<i64, EnrolError> {
    let open: Option<Application> =
        applications::find_open(connection, account_id, certificate_type_id)?;
    match open {
        Some(application) if application.state == "awaiting_exam" => Ok(application.id),
        Some(application) => {
            if !applications::set_state(
                connection,
                application.id,
                &application.state,
                "awaiting_exam",
                now,
            )? {
                return Err(EnrolError::Race);
            }
            Ok(application.id)
        }
        None => {
            // A holder of a current certificate sits the exam to recertify it.
            let renewed = certificates::find_current(
                connection,
                account_id,
                certificate_type_id,
                today_in_sweden(now.and_utc()),
            )?;
            let kind = if renewed.is_some() {
                "recertification"
            } else {
                "new"
            };
            let id = applications::insert(
                connection,
                &NewApplication {
                    public_id: uuid::Uuid::new_v4().to_string(),
                    account_id,
                    certificate_type_id,
                    kind: kind.to_owned(),
                    renews_certificate_id: renewed.map(|certificate| certificate.id),
                    state: "awaiting_exam".to_owned(),
                    source: "centre".to_owned(),
                    created_at: now,
                    updated_at: now,
                },
            )?;
            Ok(id)
        }
    }
}

fn enrol_in(
    connection: &mut DbConnection,
    job: &EnrolmentJob,
) -> Result<EnrolmentOutcome, EnrolError> {
    let session = centres::find_session(connection, job.caller.centre_id, &job.session_id)?
        .ok_or(ApiError::NotFound)?;
    // Taken before anything is read, so a concurrent request with the same key or for the
    // same session waits here and then reads this one's rows.
    centres::lock_session(connection, session.id)?;

    let scope = format!("{} {ENROLMENT_ROUTE}", job.caller.centre_public_id);
    if let Some((key, hash)) = &job.idempotency
        && let Some(stored) = idempotency::find(connection, &scope, key)?
    {
        if stored.request_hash != *hash {
            return Err(ApiError::Unprocessable(ErrorCode::IdempotencyKeyReused).into());
        }
        return Ok(EnrolmentOutcome {
            status: u16::try_from(stored.response_status).unwrap_or(201),
            body: stored.response_body,
            replayed: true,
        });
    }

    let account = find_candidate(connection, job)?
        .ok_or(ApiError::Unprocessable(ErrorCode::CandidateWithoutAccount))?;
    if centres::is_enrolled(connection, session.id, account.id)? {
        return Err(ApiError::Conflict(ErrorCode::AlreadyEnrolled).into());
    }
    // One exam at a time: results from two sessions would overwrite each other.
    if centres::is_awaiting_results(connection, account.id, session.certificate_type_id)? {
        return Err(ApiError::Conflict(ErrorCode::EnrolledElsewhere).into());
    }
    if catalogue::find_type(connection, session.certificate_type_id)?
        .retired_at
        .is_some()
    {
        return Err(ApiError::Conflict(ErrorCode::ExamSessionClosed).into());
    }
    if centres::count_enrolments(connection, session.id)? >= i64::from(session.seats) {
        return Err(ApiError::Conflict(ErrorCode::ExamSessionFull).into());
    }
    let application_id =
        attach_application(connection, account.id, session.certificate_type_id, job.now)?;
    let enrolment = centres::insert_enrolment(
        connection,
        &NewEnrolment {
            public_id: uuid::Uuid::new_v4().to_string(),
            exam_session_id: session.id,
            account_id: account.id,
            application_id,
            created_at: job.now,
        },
    )?;
    let detail = format!(
        "session {} enrolment {} client {}",
        session.public_id, enrolment.public_id, job.caller.client_id
    );
    audit::record(
        connection,
        event::CENTRE_ENROLMENT_CREATED,
        Some(account.id),
        &job.origin,
        Some(&detail),
        job.now,
    )?;

    let row = centres::enrolment_row(connection, enrolment.id)?;
    let contract = to_contract_enrolments(vec![row], &[], &session.public_id, &job.vault);
    let body = contract
        .first()
        .map(serde_json::to_string)
        .transpose()
        .map_err(|error| ApiError::Internal(error.to_string()))?
        .ok_or_else(|| ApiError::Internal("enrolment row missing".to_owned()))?;
    if let Some((key, hash)) = &job.idempotency {
        let stored = StoredRequest {
            scope,
            idempotency_key: key.clone(),
            request_hash: hash.clone(),
            response_status: 201,
            response_body: body.clone(),
            created_at: job.now,
        };
        if !idempotency::insert(connection, &stored)? {
            return Err(EnrolError::Race);
        }
    }
    Ok(EnrolmentOutcome {
        status: 201,
        body,
        replayed: false,
    })
}
