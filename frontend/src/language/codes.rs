//! Texts for the API's error codes and for the values of its enums.
//!
//! The texts are in the locale files, under `api_error`, `field_error`, `certificate_status`,
//! `application_state` and `exam_part`. A field error code with no text here is shown with the
//! text that the API sent in the request's language.

use incert_contract::ErrorCode;
use incert_contract::certification::{ApplicationState, CertificateStatus, ExamPart};

use crate::i18n::{Locale, td_string};

/// Returns the text of an API error code in `locale`.
///
/// The match lists every code, so a code added to the contract does not build until it has
/// a text here and in the locale files.
pub fn api_error_text(locale: Locale, code: ErrorCode) -> &'static str {
    match code {
        ErrorCode::ValidationFailed => td_string!(locale, api_error.validation_failed),
        ErrorCode::InvalidJson => td_string!(locale, api_error.invalid_json),
        ErrorCode::UnsupportedMediaType => td_string!(locale, api_error.unsupported_media_type),
        ErrorCode::PayloadTooLarge => td_string!(locale, api_error.payload_too_large),
        ErrorCode::RequestTimeout => td_string!(locale, api_error.request_timeout),
        ErrorCode::NotFound => td_string!(locale, api_error.not_found),
        ErrorCode::MethodNotAllowed => td_string!(locale, api_error.method_not_allowed),
        ErrorCode::InvalidCredentials => td_string!(locale, api_error.invalid_credentials),
        ErrorCode::InitialPasswordExpired => td_string!(locale, api_error.initial_password_expired),
        ErrorCode::AuthenticationRequired => td_string!(locale, api_error.authentication_required),
        ErrorCode::TokenExpired => td_string!(locale, api_error.token_expired),
        ErrorCode::InvalidRefreshToken => td_string!(locale, api_error.invalid_refresh_token),
        ErrorCode::PasswordChangeRequired => td_string!(locale, api_error.password_change_required),
        ErrorCode::InvalidLoginCode => td_string!(locale, api_error.invalid_login_code),
        ErrorCode::LoginChallengeEnded => td_string!(locale, api_error.login_challenge_ended),
        ErrorCode::ResendTooEarly => td_string!(locale, api_error.resend_too_early),
        ErrorCode::EmailTaken => td_string!(locale, api_error.email_taken),
        ErrorCode::BankIdAlreadyInProgress => {
            td_string!(locale, api_error.bankid_already_in_progress)
        }
        ErrorCode::BankIdOrderNotComplete => {
            td_string!(locale, api_error.bankid_order_not_complete)
        }
        ErrorCode::Forbidden => td_string!(locale, api_error.forbidden),
        ErrorCode::ApplicationAlreadyOpen => td_string!(locale, api_error.application_already_open),
        ErrorCode::CertificateAlreadyHeld => td_string!(locale, api_error.certificate_already_held),
        ErrorCode::ApplicationTransitionNotAllowed => {
            td_string!(locale, api_error.application_transition_not_allowed)
        }
        ErrorCode::ExamNotPassed => td_string!(locale, api_error.exam_not_passed),
        ErrorCode::CertificateWithdrawn => td_string!(locale, api_error.certificate_withdrawn),
        ErrorCode::CertificateReplaced => td_string!(locale, api_error.certificate_replaced),
        ErrorCode::SelfAttestationNotAllowed => {
            td_string!(locale, api_error.self_attestation_not_allowed)
        }
        ErrorCode::SelfDecisionNotAllowed => {
            td_string!(locale, api_error.self_decision_not_allowed)
        }
        ErrorCode::CandidateWithoutAccount => {
            td_string!(locale, api_error.candidate_without_account)
        }
        ErrorCode::AlreadyEnrolled => td_string!(locale, api_error.already_enrolled),
        ErrorCode::EnrolledElsewhere => td_string!(locale, api_error.enrolled_elsewhere),
        ErrorCode::ExamSessionFull => td_string!(locale, api_error.exam_session_full),
        ErrorCode::ExamSessionClosed => td_string!(locale, api_error.exam_session_closed),
        ErrorCode::IdempotencyKeyReused => td_string!(locale, api_error.idempotency_key_reused),
        ErrorCode::RateLimited => td_string!(locale, api_error.rate_limited),
        ErrorCode::ServiceUnavailable => td_string!(locale, api_error.service_unavailable),
        ErrorCode::InternalError => td_string!(locale, api_error.internal_error),
        ErrorCode::Unknown => td_string!(locale, api_error.unknown),
    }
}

/// Returns the text of a field error code such as `email_missing_at` in `locale`, or `None`
/// for a code that has none.
pub fn field_error_text(locale: Locale, code: &str) -> Option<&'static str> {
    let text = match code {
        "required" => td_string!(locale, field_error.required),
        "email_empty" => td_string!(locale, field_error.email_empty),
        "email_missing_at" => td_string!(locale, field_error.email_missing_at),
        "email_whitespace" => td_string!(locale, field_error.email_whitespace),
        "email_domain_missing_dot" | "email_invalid_domain" | "email_empty_domain" => {
            td_string!(locale, field_error.email_domain_missing_dot)
        }
        "name_empty" => td_string!(locale, field_error.name_empty),
        "name_too_long" => td_string!(locale, field_error.name_too_long),
        "name_invalid_characters" => td_string!(locale, field_error.name_invalid_characters),
        "mobile_invalid" | "mobile_invalid_characters" => {
            td_string!(locale, field_error.mobile_invalid)
        }
        "birth_date_invalid" => td_string!(locale, field_error.birth_date_invalid),
        "birth_date_out_of_range" => td_string!(locale, field_error.birth_date_out_of_range),
        "personnummer_empty" => td_string!(locale, field_error.personnummer_empty),
        "personnummer_invalid_format" => {
            td_string!(locale, field_error.personnummer_invalid_format)
        }
        "personnummer_invalid_date" => td_string!(locale, field_error.personnummer_invalid_date),
        "personnummer_invalid_checksum" => {
            td_string!(locale, field_error.personnummer_invalid_checksum)
        }
        "password_too_short" => td_string!(locale, field_error.password_too_short),
        "password_too_long" => td_string!(locale, field_error.password_too_long),
        "password_missing_letter" => td_string!(locale, field_error.password_missing_letter),
        "password_missing_digit" => td_string!(locale, field_error.password_missing_digit),
        "password_contains_personal_data" => {
            td_string!(locale, field_error.password_contains_personal_data)
        }
        "password_too_common" => td_string!(locale, field_error.password_too_common),
        "password_unchanged" => td_string!(locale, field_error.password_unchanged),
        "login_code_format" => td_string!(locale, field_error.login_code_format),
        "reset_code_invalid" => td_string!(locale, field_error.reset_code_invalid),
        "personnummer_invalid_century" => {
            td_string!(locale, field_error.personnummer_invalid_century)
        }
        "personnummer_future_birth_date" => {
            td_string!(locale, field_error.personnummer_future_birth_date)
        }
        "personnummer_birth_number_zero" => {
            td_string!(locale, field_error.personnummer_birth_number_zero)
        }
        "personnummer_organisation_number" => {
            td_string!(locale, field_error.personnummer_organisation_number)
        }
        "personnummer_interim_not_allowed" | "personnummer_unknown_birth_date_not_allowed" => {
            td_string!(locale, field_error.personnummer_interim_not_allowed)
        }
        "email_multiple_at" => td_string!(locale, field_error.email_multiple_at),
        "email_empty_local_part" => td_string!(locale, field_error.email_empty_local_part),
        "email_control_character" => td_string!(locale, field_error.email_control_character),
        "email_consecutive_dots" => td_string!(locale, field_error.email_consecutive_dots),
        "email_too_long" => td_string!(locale, field_error.email_too_long),
        "email_local_part_too_long" => td_string!(locale, field_error.email_local_part_too_long),
        "email_invalid_local_part" | "email_local_part_not_ascii" => {
            td_string!(locale, field_error.email_invalid_local_part)
        }
        "email_unchanged" => td_string!(locale, field_error.email_unchanged),
        "mobile_empty" => td_string!(locale, field_error.mobile_empty),
        "current_password_incorrect" => td_string!(locale, field_error.current_password_incorrect),
        "reset_code_format" => td_string!(locale, field_error.reset_code_format),
        "email_change_code_invalid" => td_string!(locale, field_error.email_change_code_invalid),
        "organisation_number_invalid_format" => {
            td_string!(locale, field_error.organisation_number_invalid_format)
        }
        "organisation_number_invalid_checksum" => {
            td_string!(locale, field_error.organisation_number_invalid_checksum)
        }
        "postal_code_invalid_swedish" => {
            td_string!(locale, field_error.postal_code_invalid_swedish)
        }
        "postal_code_invalid" => td_string!(locale, field_error.postal_code_invalid),
        "country_invalid" => td_string!(locale, field_error.country_invalid),
        "text_too_long" => td_string!(locale, field_error.text_too_long),
        "text_invalid_characters" => td_string!(locale, field_error.text_invalid_characters),
        "certificate_type_unknown" => td_string!(locale, field_error.certificate_type_unknown),
        "certificate_type_retired" => td_string!(locale, field_error.certificate_type_retired),
        "certificate_type_for_companies" => {
            td_string!(locale, field_error.certificate_type_for_companies)
        }
        "search_too_long" => td_string!(locale, field_error.search_too_long),
        _ => return None,
    };
    Some(text)
}

/// Returns a text for the field error `code` on the input `field` that is more specific than
/// the code's own text, or `None` when the code's own text serves.
///
/// For the billing address, `required` concerns the street, postal code and city together,
/// because the app sends no address when all three are empty.
pub fn field_specific_error_text(locale: Locale, field: &str, code: &str) -> Option<&'static str> {
    match (field, code) {
        ("address", "required") => Some(td_string!(locale, field_error.billing_address_required)),
        _ => None,
    }
}

/// Returns the name of a certificate status in `locale`.
pub fn certificate_status_text(locale: Locale, status: CertificateStatus) -> &'static str {
    match status {
        CertificateStatus::Valid => td_string!(locale, certificate_status.valid),
        CertificateStatus::RenewalRequired => {
            td_string!(locale, certificate_status.renewal_required)
        }
        CertificateStatus::Expired => td_string!(locale, certificate_status.expired),
        CertificateStatus::Withdrawn => td_string!(locale, certificate_status.withdrawn),
        CertificateStatus::Replaced => td_string!(locale, certificate_status.replaced),
    }
}

/// Returns the name of an application state in `locale`.
pub fn application_state_text(locale: Locale, state: ApplicationState) -> &'static str {
    match state {
        ApplicationState::Received => td_string!(locale, application_state.received),
        ApplicationState::InReview => td_string!(locale, application_state.in_review),
        ApplicationState::AwaitingExam => td_string!(locale, application_state.awaiting_exam),
        ApplicationState::Approved => td_string!(locale, application_state.approved),
        ApplicationState::Rejected => td_string!(locale, application_state.rejected),
        ApplicationState::Withdrawn => td_string!(locale, application_state.withdrawn),
    }
}

/// Returns the name of an exam part in `locale`.
pub fn exam_part_text(locale: Locale, part: ExamPart) -> &'static str {
    match part {
        ExamPart::Theory => td_string!(locale, exam_part.theory),
        ExamPart::Practical => td_string!(locale, exam_part.practical),
        ExamPart::CourseAttestation => td_string!(locale, exam_part.course_attestation),
        ExamPart::DocumentReview => td_string!(locale, exam_part.document_review),
    }
}
