//! Examination centres: client credentials, exam sessions, enrolments and results.

pub mod clients;
pub mod enrolments;
pub mod results;
pub mod sessions;
pub mod tokens;

use chrono::{DateTime, NaiveDateTime, Utc};
use incert_contract::certification::{
    ApplicationState, ExamDeviation, ExamOutcome, ExamPart, ExamPartResult, LocalizedText,
};

use super::Validation;
use crate::storage::catalogue::CertificateType;
use crate::storage::centres::ExamResult;

/// Longest accepted free-text field (centre name, label, place, examiner), in characters.
const MAX_TEXT_CHARS: usize = 200;

/// Reads a stored UTC time.
fn utc(time: NaiveDateTime) -> DateTime<Utc> {
    time.and_utc()
}

/// Checks a required free-text field: trimmed, 1–200 characters, no control or invisible
/// formatting characters.
fn required_text(validation: &mut Validation, field: &str, value: &str) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        validation.add(field, "required");
        return None;
    }
    optional_text(validation, field, trimmed)
}

/// Checks an optional free-text field as [`required_text`] does, accepting an empty value.
fn optional_text(validation: &mut Validation, field: &str, value: &str) -> Option<String> {
    let trimmed = value.trim();
    if trimmed.chars().count() > MAX_TEXT_CHARS {
        validation.add(field, "text_too_long");
        return None;
    }
    let invalid = trimmed
        .chars()
        .any(|character| character.is_control() || super::is_invisible_format(character));
    if invalid {
        validation.add(field, "text_invalid_characters");
        return None;
    }
    Some(trimmed.to_owned())
}

/// Returns the exam parts of a certificate type that centres examine, in catalogue order.
fn centre_parts(certificate_type: &CertificateType) -> Vec<ExamPart> {
    certificate_type
        .exam_parts
        .split(',')
        .filter_map(|part| ExamPart::parse(part.trim()))
        .filter(|part| part.is_examined_by_centre())
        .collect()
}

fn type_name(certificate_type: &CertificateType) -> LocalizedText {
    LocalizedText {
        sv: certificate_type.name_sv.clone(),
        en: certificate_type.name_en.clone(),
    }
}

/// Reads a stored application state. Unknown codes cannot occur because only this code base
/// writes the column; they read as `received`.
fn application_state(code: &str) -> ApplicationState {
    match code {
        "in_review" => ApplicationState::InReview,
        "awaiting_exam" => ApplicationState::AwaitingExam,
        "approved" => ApplicationState::Approved,
        "rejected" => ApplicationState::Rejected,
        "withdrawn" => ApplicationState::Withdrawn,
        _ => ApplicationState::Received,
    }
}

fn outcome_code(outcome: ExamOutcome) -> &'static str {
    match outcome {
        ExamOutcome::Passed => "passed",
        ExamOutcome::Failed => "failed",
    }
}

fn deviation_code(deviation: ExamDeviation) -> &'static str {
    match deviation {
        ExamDeviation::Absent => "absent",
        ExamDeviation::Interrupted => "interrupted",
        ExamDeviation::Excluded => "excluded",
        ExamDeviation::TechnicalFault => "technical_fault",
    }
}

fn parse_deviation(code: &str) -> Option<ExamDeviation> {
    match code {
        "absent" => Some(ExamDeviation::Absent),
        "interrupted" => Some(ExamDeviation::Interrupted),
        "excluded" => Some(ExamDeviation::Excluded),
        "technical_fault" => Some(ExamDeviation::TechnicalFault),
        _ => None,
    }
}

/// Converts a stored result to the contract; None for a row with an unknown part code.
fn to_part_result(result: &ExamResult) -> Option<ExamPartResult> {
    Some(ExamPartResult {
        part: ExamPart::parse(&result.part)?,
        outcome: if result.outcome == "passed" {
            ExamOutcome::Passed
        } else {
            ExamOutcome::Failed
        },
        score: result.score.and_then(|score| u32::try_from(score).ok()),
        max_score: result.max_score.and_then(|score| u32::try_from(score).ok()),
        taken_on: result.taken_on,
        examiner: result.examiner.clone(),
        deviation: result.deviation.as_deref().and_then(parse_deviation),
    })
}
