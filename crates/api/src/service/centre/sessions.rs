//! Exam sessions (provtillfällen) that a centre publishes, lists and reads.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, TimeDelta, TimeZone as _, Utc};
use chrono_tz::Europe::Stockholm;
use incert_contract::centre::{
    Enrolment, ExamSession, ExamSessionDetails, ExamSessionPage, ExamSessionRequest,
};

use super::{application_state, centre_parts, required_text, to_part_result, type_name, utc};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::oauth::CentreClient;
use crate::security::vault::PersonnummerVault;
use crate::service::Validation;
use crate::storage::DbConnection;
use crate::storage::audit::{self, Origin, event};
use crate::storage::catalogue::{self, CertificateType};
use crate::storage::centres::{self, EnrolmentRow, NewExamSession, SessionFilter};

/// Seats a session may have.
const SEATS: std::ops::RangeInclusive<i64> = 1..=500;

/// Sessions per page when the request has no `per_page`.
const DEFAULT_PER_PAGE: u32 = 20;

/// Most sessions on one page.
const MAX_PER_PAGE: u32 = 100;

/// Raw query parameters of the session list, checked by [`parse_filter`].
#[derive(Debug, Clone, Default, serde::Deserialize)]
pub struct SessionQuery {
    pub page: Option<String>,
    pub per_page: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
}

/// A checked session list request.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub page: u32,
    pub per_page: u32,
    pub filter: SessionFilter,
}

/// Returns the first moment of a day in Swedish time, in UTC.
fn start_of_swedish_day(day: NaiveDate) -> Option<NaiveDateTime> {
    Stockholm
        .from_local_datetime(&day.and_time(chrono::NaiveTime::MIN))
        .earliest()
        .map(|time| time.naive_utc())
}

/// Returns the day of a UTC time in Sweden.
pub fn swedish_day(time: NaiveDateTime) -> NaiveDate {
    crate::service::today_in_sweden(time.and_utc())
}

fn parse_number(validation: &mut Validation, field: &str, raw: Option<&str>) -> Option<u32> {
    let parsed = raw?.trim().parse::<u32>();
    if parsed.is_err() {
        validation.add(field, "number_invalid");
    }
    parsed.ok()
}

fn parse_day(validation: &mut Validation, field: &str, raw: Option<&str>) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(raw?.trim(), "%Y-%m-%d");
    if parsed.is_err() {
        validation.add(field, "date_invalid");
    }
    parsed.ok()
}

/// Checks the page (from 1), the page size (1–100) and the `from`/`to` days, both
/// inclusive and in Swedish time.
pub fn parse_filter(query: &SessionQuery) -> Result<ListRequest, ApiError> {
    let mut validation = Validation::default();
    let page = parse_number(&mut validation, "page", query.page.as_deref()).unwrap_or(1);
    if page == 0 {
        validation.add("page", "number_invalid");
    }
    let per_page = parse_number(&mut validation, "per_page", query.per_page.as_deref())
        .unwrap_or(DEFAULT_PER_PAGE);
    if !(1..=MAX_PER_PAGE).contains(&per_page) {
        validation.add("per_page", "per_page_out_of_range");
    }
    let from = parse_day(&mut validation, "from", query.from.as_deref());
    let to = parse_day(&mut validation, "to", query.to.as_deref());
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        validation.add("to", "date_range_invalid");
    }
    let starts_from = from.and_then(start_of_swedish_day);
    let starts_before = to
        .and_then(|day| day.checked_add_signed(TimeDelta::days(1)))
        .and_then(start_of_swedish_day);
    validation.finish()?;

    Ok(ListRequest {
        page,
        per_page,
        filter: SessionFilter {
            starts_from,
            starts_before,
            offset: i64::from(page.saturating_sub(1)) * i64::from(per_page),
            limit: i64::from(per_page),
        },
    })
}

fn to_contract_session(
    session: centres::ExamSession,
    certificate_type: &CertificateType,
    seats_taken: i64,
) -> ExamSession {
    ExamSession {
        id: session.public_id,
        certificate_type: certificate_type.code.clone(),
        certificate_type_name: type_name(certificate_type),
        starts_at: utc(session.starts_at),
        place: session.place,
        seats: u32::try_from(session.seats).unwrap_or_default(),
        seats_taken: u32::try_from(seats_taken).unwrap_or_default(),
        created_at: utc(session.created_at),
    }
}

/// Checks a new session. The type must exist, take applications and have an exam part that
/// centres examine. The place has 1–200 characters and the seats are 1–500.
fn validate_session(
    connection: &mut DbConnection,
    request: &ExamSessionRequest,
    now: DateTime<Utc>,
) -> Result<(CertificateType, DateTime<Utc>, String, i32), ApiError> {
    let mut validation = Validation::default();
    let code = request.certificate_type.trim();
    let certificate_type = if code.is_empty() {
        validation.add("certificate_type", "required");
        None
    } else {
        match catalogue::find_type_by_code(connection, code)? {
            None => {
                validation.add("certificate_type", "certificate_type_unknown");
                None
            }
            Some(found) if found.retired_at.is_some() => {
                validation.add("certificate_type", "certificate_type_retired");
                None
            }
            Some(found) if centre_parts(&found).is_empty() => {
                validation.add(
                    "certificate_type",
                    "certificate_type_not_examined_by_centre",
                );
                None
            }
            Some(found) => Some(found),
        }
    };
    let starts_at = DateTime::parse_from_rfc3339(request.starts_at.trim())
        .map(|time| time.with_timezone(&Utc))
        .ok();
    if starts_at.is_none() {
        validation.add("starts_at", "date_time_invalid");
    }
    // A past session may be registered to report its results, and a session is published
    // at most three years ahead.
    let earliest = Utc
        .with_ymd_and_hms(2000, 1, 1, 0, 0, 0)
        .single()
        .unwrap_or(now);
    let latest = now + TimeDelta::days(3 * 366);
    let starts_at = starts_at.filter(|time| {
        let in_range = (earliest..=latest).contains(time);
        if !in_range {
            validation.add("starts_at", "date_time_out_of_range");
        }
        in_range
    });
    let place = required_text(&mut validation, "place", &request.place);
    let seats = i32::try_from(request.seats)
        .ok()
        .filter(|_| SEATS.contains(&request.seats));
    if seats.is_none() {
        validation.add("seats", "seats_out_of_range");
    }
    validation.finish()?;
    match (certificate_type, starts_at, place, seats) {
        (Some(certificate_type), Some(starts_at), Some(place), Some(seats)) => {
            Ok((certificate_type, starts_at, place, seats))
        }
        _ => Err(ApiError::Validation(Vec::new())),
    }
}

/// Publishes an exam session of the caller's centre.
pub async fn create(
    state: &AppState,
    caller: &CentreClient,
    request: ExamSessionRequest,
    origin: Origin,
) -> Result<ExamSession, ApiError> {
    let now = state.clock.naive_now();
    let centre_id = caller.centre_id;
    let client_id = caller.client_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let (certificate_type, starts_at, place, seats) =
                    validate_session(transaction, &request, now.and_utc())?;
                let session = centres::insert_session(
                    transaction,
                    &NewExamSession {
                        public_id: uuid::Uuid::new_v4().to_string(),
                        centre_id,
                        certificate_type_id: certificate_type.id,
                        starts_at: starts_at.naive_utc(),
                        place,
                        seats,
                        created_at: now,
                    },
                )?;
                let detail = format!("session {} client {client_id}", session.public_id);
                audit::record(
                    transaction,
                    event::EXAM_SESSION_CREATED,
                    None,
                    &origin,
                    Some(&detail),
                    now,
                )?;
                Ok(to_contract_session(session, &certificate_type, 0))
            })
        })
        .await
}

/// Lists a page of the caller's sessions by start time.
pub async fn list(
    state: &AppState,
    caller: &CentreClient,
    request: ListRequest,
) -> Result<ExamSessionPage, ApiError> {
    let centre_id = caller.centre_id;
    let filter = request.filter.clone();

    let (sessions, total, seats_taken_by_session, types) = state
        .database
        .run(move |connection| {
            let (sessions, total) = centres::sessions(connection, centre_id, &filter)?;
            let ids: Vec<i64> = sessions.iter().map(|session| session.id).collect();
            let seats_taken_by_session: HashMap<i64, i64> = centres::seats_taken(connection, &ids)?
                .into_iter()
                .collect();
            let types = catalogue::certificate_types(connection, true)?;
            Ok::<_, ApiError>((sessions, total, seats_taken_by_session, types))
        })
        .await?;

    let items = sessions
        .into_iter()
        .filter_map(|session| {
            let certificate_type = types
                .iter()
                .find(|candidate| candidate.id == session.certificate_type_id)?;
            let seats_taken = seats_taken_by_session
                .get(&session.id)
                .copied()
                .unwrap_or_default();
            Some(to_contract_session(session, certificate_type, seats_taken))
        })
        .collect();
    Ok(ExamSessionPage {
        items,
        page: request.page,
        per_page: request.per_page,
        total: u64::try_from(total).unwrap_or_default(),
    })
}

/// Converts enrolment rows, with their results, to the contract. The personnummer is only
/// shown masked.
pub fn to_contract_enrolments(
    rows: Vec<EnrolmentRow>,
    results: &[centres::ExamResult],
    session_public_id: &str,
    vault: &PersonnummerVault,
) -> Vec<Enrolment> {
    rows.into_iter()
        .map(|row| Enrolment {
            personnummer_masked: row
                .sealed_personnummer
                .as_deref()
                .and_then(|sealed| vault.open(sealed))
                .and_then(|plain| incert_domain::Personnummer::from_canonical(&plain).ok())
                .map(|personnummer| personnummer.masked()),
            results: results
                .iter()
                .filter(|result| result.enrolment_id == row.enrolment.id)
                .filter_map(to_part_result)
                .collect(),
            id: row.enrolment.public_id,
            exam_session_id: session_public_id.to_owned(),
            candidate_name: format!("{} {}", row.first_name, row.last_name),
            application_id: row.application_public_id,
            application_state: application_state(&row.application_state),
            created_at: utc(row.enrolment.created_at),
        })
        .collect()
}

/// Returns one of the caller's sessions with its enrolments and their results. Another
/// centre's session is not found.
pub async fn details(
    state: &AppState,
    caller: &CentreClient,
    session_id: String,
) -> Result<ExamSessionDetails, ApiError> {
    let centre_id = caller.centre_id;

    let (session, certificate_type, rows, results) = state
        .database
        .run(move |connection| {
            let session = centres::find_session(connection, centre_id, &session_id)?
                .ok_or(ApiError::NotFound)?;
            let certificate_type = catalogue::find_type(connection, session.certificate_type_id)?;
            let rows = centres::enrolments_of_session(connection, session.id)?;
            let ids: Vec<i64> = rows.iter().map(|row| row.enrolment.id).collect();
            let results = centres::results_of_enrolments(connection, &ids)?;
            Ok::<_, ApiError>((session, certificate_type, rows, results))
        })
        .await?;

    let public_id = session.public_id.clone();
    let seats_taken = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let enrolments = to_contract_enrolments(rows, &results, &public_id, &state.personnummer_vault);
    Ok(ExamSessionDetails {
        session: to_contract_session(session, &certificate_type, seats_taken),
        enrolments,
    })
}
