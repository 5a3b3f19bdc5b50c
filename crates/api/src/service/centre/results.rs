//! Exam results that a centre reports for an enrolment. Once every exam part that centres
//! examine has a result, the application moves from `awaiting_exam` to `in_review`, where
//! staff decide it.

use chrono::{NaiveDate, NaiveDateTime};
use incert_contract::ErrorCode;
use incert_contract::centre::{ExamResultReport, ExamResults};
use incert_contract::certification::{ExamDeviation, ExamOutcome, ExamPart};

use super::sessions::swedish_day;
use super::{
    application_state, centre_parts, deviation_code, outcome_code, required_text, to_part_result,
};
use crate::http::AppState;
use crate::http::error::ApiError;
use crate::http::oauth::CentreClient;
use crate::service::{Validation, today_in_sweden};
use crate::storage::audit::{self, Origin, event};
use crate::storage::centres::{self, ExamResult};
use crate::storage::{DbConnection, applications, catalogue};

/// Largest accepted `max_score`.
const MAX_SCORE: u32 = 10_000;

/// Application states in which a centre may report or correct results.
const REPORTABLE_STATES: [&str; 2] = ["awaiting_exam", "in_review"];

/// Checks one reported part; `field` is its path, such as `parts[0]`.
fn check_part(
    validation: &mut Validation,
    field: &str,
    part: &incert_contract::certification::ExamPartResult,
    session_day: NaiveDate,
    today: NaiveDate,
) -> Option<String> {
    let absent = part.deviation == Some(ExamDeviation::Absent);
    if absent && part.outcome != ExamOutcome::Failed {
        validation.add(&format!("{field}.outcome"), "absent_requires_failed");
    }
    if absent && part.score.is_some() {
        validation.add(&format!("{field}.score"), "absent_without_score");
    }
    if let Some(max_score) = part.max_score
        && !(1..=MAX_SCORE).contains(&max_score)
    {
        validation.add(&format!("{field}.max_score"), "max_score_out_of_range");
    }
    match (part.score, part.max_score) {
        (Some(_), None) => validation.add(&format!("{field}.max_score"), "required"),
        (Some(score), Some(max_score)) if score > max_score => {
            validation.add(&format!("{field}.score"), "score_above_max_score");
        }
        _ => {}
    }
    if part.taken_on < session_day {
        validation.add(&format!("{field}.taken_on"), "taken_on_before_session");
    }
    if part.taken_on > today {
        validation.add(&format!("{field}.taken_on"), "taken_on_in_future");
    }
    required_text(validation, &format!("{field}.examiner"), &part.examiner)
}

/// Checks a report against the parts that centres examine for the type and the session's
/// day, and returns the rows to store.
fn validate_report(
    report: &ExamResultReport,
    allowed: &[ExamPart],
    session_day: NaiveDate,
    today: NaiveDate,
    enrolment_id: i64,
    now: NaiveDateTime,
) -> Result<Vec<ExamResult>, ApiError> {
    let mut validation = Validation::default();
    if report.parts.is_empty() {
        validation.add("parts", "required");
    }
    let mut seen: Vec<ExamPart> = Vec::new();
    let mut rows = Vec::new();
    for (index, part) in report.parts.iter().enumerate() {
        let field = format!("parts[{index}]");
        if !allowed.contains(&part.part) {
            validation.add(&format!("{field}.part"), "exam_part_not_examined_by_centre");
        } else if seen.contains(&part.part) {
            validation.add(&format!("{field}.part"), "exam_part_duplicate");
        }
        seen.push(part.part);
        let examiner = check_part(&mut validation, &field, part, session_day, today);
        rows.push(ExamResult {
            enrolment_id,
            part: part.part.as_str().to_owned(),
            outcome: outcome_code(part.outcome).to_owned(),
            score: part.score.and_then(|score| i32::try_from(score).ok()),
            max_score: part.max_score.and_then(|score| i32::try_from(score).ok()),
            taken_on: part.taken_on,
            examiner: examiner.unwrap_or_default(),
            deviation: part
                .deviation
                .map(|deviation| deviation_code(deviation).to_owned()),
            reported_at: now,
        });
    }
    validation.finish()?;
    Ok(rows)
}

/// Stores the results of one of the caller's enrolments and, when every exam part that
/// centres examine has a result, moves the application to `in_review`. Another centre's
/// enrolment is not found.
pub async fn report(
    state: &AppState,
    caller: &CentreClient,
    enrolment_id: String,
    report: ExamResultReport,
    origin: Origin,
) -> Result<ExamResults, ApiError> {
    let now = state.clock.now();
    let today = today_in_sweden(now);
    let now = now.naive_utc();
    let centre_id = caller.centre_id;
    let client_id = caller.client_id.clone();

    state
        .database
        .run(move |connection| {
            connection.write_transaction(|transaction| {
                let (enrolment, session) =
                    centres::find_enrolment(transaction, centre_id, &enrolment_id)?
                        .ok_or(ApiError::NotFound)?;
                let certificate_type =
                    catalogue::find_type(transaction, session.certificate_type_id)?;
                let allowed = centre_parts(&certificate_type);
                let rows = validate_report(
                    &report,
                    &allowed,
                    swedish_day(session.starts_at),
                    today,
                    enrolment.id,
                    now,
                )?;
                let application = applications::find(transaction, enrolment.application_id)?;
                if !REPORTABLE_STATES.contains(&application.state.as_str()) {
                    return Err(ApiError::Conflict(
                        ErrorCode::ApplicationTransitionNotAllowed,
                    ));
                }

                for row in &rows {
                    centres::upsert_result(transaction, row)?;
                }
                let state = complete_if_examined(transaction, &application, &allowed, now)?;
                let detail = format!("enrolment {} client {client_id}", enrolment.public_id);
                audit::record(
                    transaction,
                    event::EXAM_RESULTS_REPORTED,
                    Some(enrolment.account_id),
                    &origin,
                    Some(&detail),
                    now,
                )?;

                let stored = centres::results_of_enrolments(transaction, &[enrolment.id])?;
                Ok(ExamResults {
                    enrolment_id: enrolment.public_id,
                    application_id: application.public_id,
                    application_state: application_state(&state),
                    parts: stored.iter().filter_map(to_part_result).collect(),
                })
            })
        })
        .await
}

/// Moves an application that awaits its exam to `in_review` once every part in `allowed`
/// has a result on any of its enrolments. Returns the application's state afterwards.
fn complete_if_examined(
    connection: &mut DbConnection,
    application: &applications::Application,
    allowed: &[ExamPart],
    now: NaiveDateTime,
) -> Result<String, ApiError> {
    if application.state != "awaiting_exam" {
        return Ok(application.state.clone());
    }
    let reported = centres::reported_parts_of_application(connection, application.id)?;
    let complete = allowed
        .iter()
        .all(|part| reported.iter().any(|code| code == part.as_str()));
    if complete
        && applications::set_state(
            connection,
            application.id,
            "awaiting_exam",
            "in_review",
            now,
        )?
    {
        return Ok("in_review".to_owned());
    }
    Ok(application.state.clone())
}
