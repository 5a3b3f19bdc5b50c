#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on unexpected errors"
)]

use chrono::{Days, NaiveDate};
use proptest::prelude::*;

use super::*;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

fn rules(
    validity_years: u32,
    annual_renewal: bool,
    recertification_years: Option<u32>,
) -> CertificateRules {
    CertificateRules::new(validity_years, annual_renewal, recertification_years).unwrap()
}

/// Returns the rules of the usual person certificate: five years with annual renewal.
fn person_rules() -> CertificateRules {
    rules(5, true, None)
}

/// Computes the dates of a person certificate issued on 2026-12-04.
fn issued_2026() -> CertificateDates {
    CertificateDates::at_issue(&person_rules(), date(2026, 12, 4)).unwrap()
}

fn next_day(day: NaiveDate) -> NaiveDate {
    day.succ_opt().unwrap()
}

fn previous_day(day: NaiveDate) -> NaiveDate {
    day.pred_opt().unwrap()
}

const ALL_STATES: [ApplicationState; 6] = [
    ApplicationState::Received,
    ApplicationState::InReview,
    ApplicationState::AwaitingExam,
    ApplicationState::Approved,
    ApplicationState::Rejected,
    ApplicationState::Withdrawn,
];

#[test]
fn rules_accept_bounds() {
    for (validity, recertification) in [
        (1, None),
        (10, None),
        (5, Some(1)),
        (5, Some(5)),
        (10, Some(3)),
    ] {
        let built = CertificateRules::new(validity, true, recertification);
        assert!(built.is_ok(), "{validity} {recertification:?}");
    }
    assert_eq!(rules(5, true, None).recertification_years(), 5);
    assert_eq!(rules(5, true, Some(3)).recertification_years(), 3);
}

#[test]
fn rules_reject_each_bound() {
    for validity in [0, 11, u32::MAX] {
        let error = CertificateRules::new(validity, true, None).unwrap_err();
        assert_eq!(error, CertificateRulesError::ValidityOutOfRange(validity));
        assert_eq!(error.code(), "certificate_rules_validity_out_of_range");
    }
    for recertification in [0, 6] {
        let error = CertificateRules::new(5, false, Some(recertification)).unwrap_err();
        assert_eq!(
            error,
            CertificateRulesError::RecertificationOutOfRange {
                recertification_years: recertification,
                validity_years: 5
            }
        );
        assert_eq!(
            error.code(),
            "certificate_rules_recertification_out_of_range"
        );
    }
}

#[test]
fn rules_deserialize_checks_values() {
    let valid = r#"{"validity_years":5,"annual_renewal":true,"recertification_years":null}"#;
    let parsed: CertificateRules = serde_json::from_str(valid).unwrap();
    assert_eq!(parsed, person_rules());
    assert_eq!(serde_json::to_string(&parsed).unwrap(), valid);

    let invalid = r#"{"validity_years":11,"annual_renewal":true,"recertification_years":null}"#;
    assert!(serde_json::from_str::<CertificateRules>(invalid).is_err());
}

#[test]
fn at_issue_computes_each_date() {
    let dates = issued_2026();
    assert_eq!(dates.issued_on(), date(2026, 12, 4));
    assert_eq!(dates.valid_until(), date(2031, 12, 4));
    assert_eq!(dates.annual_renewal_due(), Some(date(2027, 12, 4)));
    assert_eq!(dates.recertification_due(), date(2031, 12, 4));
}

#[test]
fn at_issue_applies_type_rules() {
    let issued_on = date(2026, 12, 4);

    let shorter_recertification =
        CertificateDates::at_issue(&rules(5, true, Some(3)), issued_on).unwrap();
    assert_eq!(
        shorter_recertification.recertification_due(),
        date(2029, 12, 4)
    );
    assert_eq!(shorter_recertification.valid_until(), date(2031, 12, 4));

    let course = CertificateDates::at_issue(&rules(5, false, None), issued_on).unwrap();
    assert_eq!(course.annual_renewal_due(), None);

    let one_year = CertificateDates::at_issue(&rules(1, true, None), issued_on).unwrap();
    assert_eq!(one_year.valid_until(), date(2027, 12, 4));
    assert_eq!(one_year.annual_renewal_due(), Some(date(2027, 12, 4)));
}

#[test]
fn leap_day_issue_uses_28_february() {
    let issued_on = date(2024, 2, 29);
    let cases = [
        (1, date(2025, 2, 28)),
        (4, date(2028, 2, 29)),
        (5, date(2029, 2, 28)),
        (8, date(2032, 2, 29)),
    ];
    for (years, expected) in cases {
        let dates = CertificateDates::at_issue(&rules(years, false, None), issued_on).unwrap();
        assert_eq!(dates.valid_until(), expected, "{years} years");
    }

    let dates = CertificateDates::at_issue(&person_rules(), issued_on).unwrap();
    assert_eq!(dates.annual_renewal_due(), Some(date(2025, 2, 28)));
}

#[test]
fn leap_day_renewal_returns_to_29_february() {
    let mut dates = CertificateDates::at_issue(&person_rules(), date(2024, 2, 29)).unwrap();
    let expected = [
        date(2026, 2, 28),
        date(2027, 2, 28),
        date(2028, 2, 29),
        date(2029, 2, 28),
    ];
    for next_due in expected {
        let due = dates.annual_renewal_due().unwrap();
        assert_eq!(dates.record_attestation(due), Ok(next_due), "after {due}");
    }
    assert_eq!(dates.annual_renewal_due(), Some(dates.valid_until()));
}

#[test]
fn at_issue_rejects_date_past_calendar() {
    let error = CertificateDates::at_issue(&person_rules(), NaiveDate::MAX).unwrap_err();
    assert_eq!(error, CertificateDatesError::OutOfRange);
    assert_eq!(error.code(), "certificate_dates_out_of_range");
}

#[test]
fn from_parts_accepts_stored_dates() {
    let stored = CertificateDates::from_parts(
        date(2026, 12, 4),
        date(2031, 12, 4),
        Some(date(2027, 12, 4)),
        date(2031, 12, 4),
    );
    assert_eq!(stored, Ok(issued_2026()));

    let moved_by_hand = CertificateDates::from_parts(
        date(2026, 12, 4),
        date(2031, 12, 4),
        Some(date(2028, 1, 15)),
        date(2030, 6, 1),
    );
    assert!(moved_by_hand.is_ok());
}

#[test]
fn from_parts_rejects_each_inconsistency() {
    let issued_on = date(2026, 12, 4);
    let valid_until = date(2031, 12, 4);
    let cases = [
        (
            "valid_until on issue",
            issued_on,
            Some(date(2027, 12, 4)),
            valid_until,
        ),
        (
            "renewal on issue",
            valid_until,
            Some(issued_on),
            valid_until,
        ),
        (
            "renewal after validity",
            valid_until,
            Some(next_day(valid_until)),
            valid_until,
        ),
        ("recertification on issue", valid_until, None, issued_on),
        (
            "recertification after validity",
            valid_until,
            None,
            next_day(valid_until),
        ),
    ];
    for (case, valid_until, renewal_due, recertification_due) in cases {
        let error =
            CertificateDates::from_parts(issued_on, valid_until, renewal_due, recertification_due)
                .unwrap_err();
        assert_eq!(error, CertificateDatesError::Inconsistent, "{case}");
        assert_eq!(error.code(), "certificate_dates_inconsistent");
    }
}

#[test]
fn dates_serde_round_trip_and_check() {
    let dates = issued_2026();
    let json = serde_json::to_string(&dates).unwrap();
    assert_eq!(
        json,
        r#"{"issued_on":"2026-12-04","valid_until":"2031-12-04","annual_renewal_due":"2027-12-04","recertification_due":"2031-12-04"}"#
    );
    assert_eq!(
        serde_json::from_str::<CertificateDates>(&json).unwrap(),
        dates
    );

    let inconsistent = json.replace("2027-12-04", "2032-12-04");
    assert!(serde_json::from_str::<CertificateDates>(&inconsistent).is_err());
}

#[test]
fn status_at_each_edge() {
    let dates = issued_2026();
    let renewal_due = date(2027, 12, 4);
    let valid_until = date(2031, 12, 4);
    let cases = [
        ("issue day", date(2026, 12, 4), CertificateStatus::Valid),
        ("renewal due day", renewal_due, CertificateStatus::Valid),
        (
            "day after renewal due",
            next_day(renewal_due),
            CertificateStatus::RenewalRequired,
        ),
        (
            "last valid day",
            valid_until,
            CertificateStatus::RenewalRequired,
        ),
        (
            "day after last valid day",
            next_day(valid_until),
            CertificateStatus::Expired,
        ),
        ("years later", date(2040, 1, 1), CertificateStatus::Expired),
    ];
    for (case, today, expected) in cases {
        assert_eq!(dates.status(None, None, today), expected, "{case}");
    }
}

#[test]
fn status_expiry_edge_when_renewed() {
    let mut dates = issued_2026();
    for _ in 0..4 {
        let due = dates.annual_renewal_due().unwrap();
        dates.record_attestation(due).unwrap();
    }
    let valid_until = dates.valid_until();
    assert_eq!(dates.annual_renewal_due(), Some(valid_until));
    assert_eq!(
        dates.status(None, None, valid_until),
        CertificateStatus::Valid
    );
    assert_eq!(
        dates.status(None, None, next_day(valid_until)),
        CertificateStatus::Expired
    );
}

#[test]
fn status_withdrawn_wins() {
    let dates = issued_2026();
    let withdrawn_on = date(2028, 3, 1);
    let cases = [
        (
            "before withdrawal",
            previous_day(withdrawn_on),
            CertificateStatus::RenewalRequired,
        ),
        ("withdrawal day", withdrawn_on, CertificateStatus::Withdrawn),
        (
            "while renewal required",
            date(2029, 1, 1),
            CertificateStatus::Withdrawn,
        ),
        (
            "after expiry",
            date(2035, 1, 1),
            CertificateStatus::Withdrawn,
        ),
    ];
    for (case, today, expected) in cases {
        assert_eq!(
            dates.status(Some(withdrawn_on), None, today),
            expected,
            "{case}"
        );
    }
    assert_eq!(
        dates.status(Some(date(2026, 12, 10)), None, date(2026, 12, 10)),
        CertificateStatus::Withdrawn
    );
}

#[test]
fn status_after_replacement() {
    let dates = CertificateDates::at_issue(&rules(5, true, None), date(2026, 12, 4)).unwrap();
    let replaced_on = date(2031, 6, 1);
    let cases = [
        (
            "day before",
            previous_day(replaced_on),
            None,
            CertificateStatus::RenewalRequired,
        ),
        (
            "replacement day",
            replaced_on,
            None,
            CertificateStatus::Replaced,
        ),
        (
            "after expiry",
            date(2035, 1, 1),
            None,
            CertificateStatus::Replaced,
        ),
        (
            "withdrawn first",
            replaced_on,
            Some(date(2030, 1, 1)),
            CertificateStatus::Withdrawn,
        ),
    ];
    for (case, today, withdrawn_on, expected) in cases {
        assert_eq!(
            dates.status(withdrawn_on, Some(replaced_on), today),
            expected,
            "{case}"
        );
    }
}

#[test]
fn status_without_annual_renewal_never_requires_renewal() {
    let dates = CertificateDates::at_issue(&rules(5, false, None), date(2026, 12, 4)).unwrap();
    let mut today = dates.issued_on();
    while today <= dates.valid_until() {
        assert_eq!(
            dates.status(None, None, today),
            CertificateStatus::Valid,
            "{today}"
        );
        today = next_day(today);
    }
    assert_eq!(dates.status(None, None, today), CertificateStatus::Expired);
}

#[test]
fn status_ignores_recertification_due() {
    let dates = CertificateDates::at_issue(&rules(5, false, Some(3)), date(2026, 12, 4)).unwrap();
    let after_recertification_due = next_day(dates.recertification_due());
    assert_eq!(
        dates.status(None, None, after_recertification_due),
        CertificateStatus::Valid
    );
}

#[test]
fn status_codes_and_labels() {
    let cases = [
        (CertificateStatus::Valid, "valid", "Giltig", "Valid"),
        (
            CertificateStatus::RenewalRequired,
            "renewal_required",
            "Förlängning krävs",
            "Renewal required",
        ),
        (CertificateStatus::Expired, "expired", "Utgången", "Expired"),
        (
            CertificateStatus::Withdrawn,
            "withdrawn",
            "Indragen",
            "Withdrawn",
        ),
        (
            CertificateStatus::Replaced,
            "replaced",
            "Ersatt",
            "Replaced",
        ),
    ];
    for (status, code, label_sv, label_en) in cases {
        assert_eq!(status.code(), code);
        assert_eq!(status.label_sv(), label_sv);
        assert_eq!(status.label_en(), label_en);
        assert_eq!(
            serde_json::to_string(&status).unwrap(),
            format!("\"{code}\"")
        );
    }
}

#[test]
fn attestation_moves_due_from_previous_due() {
    let due = date(2027, 12, 4);
    let cases = [
        ("earliest day", due - Days::new(ATTESTATION_EARLY_DAYS)),
        ("early", date(2027, 11, 1)),
        ("due day", due),
        ("late", date(2028, 5, 20)),
    ];
    for (case, attested_on) in cases {
        let mut dates = issued_2026();
        assert_eq!(
            dates.record_attestation(attested_on),
            Ok(date(2028, 12, 4)),
            "{case}"
        );
        assert_eq!(
            dates.annual_renewal_due(),
            Some(date(2028, 12, 4)),
            "{case}"
        );
    }
}

#[test]
fn attestation_restores_valid_status() {
    let mut dates = issued_2026();
    let today = date(2028, 1, 10);
    assert_eq!(
        dates.status(None, None, today),
        CertificateStatus::RenewalRequired
    );
    dates.record_attestation(today).unwrap();
    assert_eq!(dates.status(None, None, today), CertificateStatus::Valid);
}

#[test]
fn attestation_two_years_late_needs_two() {
    let mut dates = issued_2026();
    let today = date(2029, 2, 1);
    assert_eq!(dates.record_attestation(today), Ok(date(2028, 12, 4)));
    assert_eq!(
        dates.status(None, None, today),
        CertificateStatus::RenewalRequired
    );
    assert_eq!(dates.record_attestation(today), Ok(date(2029, 12, 4)));
    assert_eq!(dates.status(None, None, today), CertificateStatus::Valid);
}

#[test]
fn attestation_never_moves_past_valid_until() {
    let mut dates = issued_2026();
    let expected = [
        date(2028, 12, 4),
        date(2029, 12, 4),
        date(2030, 12, 4),
        date(2031, 12, 4),
    ];
    for next_due in expected {
        let due = dates.annual_renewal_due().unwrap();
        assert_eq!(dates.record_attestation(due), Ok(next_due));
    }

    let before = dates;
    let error = dates.record_attestation(date(2031, 11, 1)).unwrap_err();
    assert_eq!(
        error,
        AttestationError::NoRenewalRemaining {
            valid_until: date(2031, 12, 4)
        }
    );
    assert_eq!(error.code(), "attestation_no_renewal_remaining");
    assert_eq!(dates, before);
}

#[test]
fn attestation_on_last_valid_day_accepted() {
    let mut dates = CertificateDates::from_parts(
        date(2026, 12, 4),
        date(2031, 12, 4),
        Some(date(2030, 12, 4)),
        date(2031, 12, 4),
    )
    .unwrap();
    assert_eq!(
        dates.record_attestation(date(2031, 12, 4)),
        Ok(date(2031, 12, 4))
    );
}

#[test]
fn attestation_after_expiry_rejected() {
    let mut dates = issued_2026();
    let before = dates;
    let error = dates.record_attestation(date(2031, 12, 5)).unwrap_err();
    assert_eq!(
        error,
        AttestationError::AfterExpiry {
            valid_until: date(2031, 12, 4)
        }
    );
    assert_eq!(error.code(), "attestation_after_expiry");
    assert_eq!(dates, before);
}

#[test]
fn attestation_too_early_rejected() {
    let mut dates = issued_2026();
    let before = dates;
    let earliest = date(2027, 12, 4) - Days::new(ATTESTATION_EARLY_DAYS);
    let error = dates
        .record_attestation(previous_day(earliest))
        .unwrap_err();
    assert_eq!(error, AttestationError::TooEarly { earliest });
    assert_eq!(error.code(), "attestation_too_early");
    assert_eq!(dates, before);

    // A second attestation right after the first would count for the following year.
    dates.record_attestation(date(2027, 12, 1)).unwrap();
    let second = dates.record_attestation(date(2027, 12, 2));
    assert!(matches!(second, Err(AttestationError::TooEarly { .. })));
}

#[test]
fn attestation_before_issue_rejected() {
    let issued_on = date(2026, 12, 4);
    let mut dates = CertificateDates::from_parts(
        issued_on,
        date(2031, 12, 4),
        Some(date(2027, 1, 10)),
        date(2031, 12, 4),
    )
    .unwrap();
    let error = dates
        .record_attestation(previous_day(issued_on))
        .unwrap_err();
    assert_eq!(
        error,
        AttestationError::TooEarly {
            earliest: issued_on
        }
    );
}

#[test]
fn attestation_without_annual_renewal_rejected() {
    let mut dates = CertificateDates::at_issue(&rules(5, false, None), date(2026, 12, 4)).unwrap();
    let error = dates.record_attestation(date(2027, 12, 1)).unwrap_err();
    assert_eq!(error, AttestationError::NoAnnualRenewal);
    assert_eq!(error.code(), "attestation_not_applicable");
}

#[test]
fn renewal_reminder_around_send_day() {
    let dates = issued_2026();
    let due_on = date(2027, 12, 4);
    let send_on = due_on - DEFAULT_REMINDER_LEAD;
    assert_eq!(send_on, date(2027, 10, 5));
    let reminder = Reminder {
        kind: ReminderKind::RenewalDue,
        due_on,
        send_on,
    };
    let cases = [
        ("day before send day", previous_day(send_on), vec![]),
        ("send day", send_on, vec![reminder]),
        ("due day", due_on, vec![reminder]),
        ("day after due day", next_day(due_on), vec![]),
    ];
    for (case, today, expected) in cases {
        assert_eq!(
            dates.due_reminders(DEFAULT_REMINDER_LEAD, today),
            expected,
            "{case}"
        );
    }
}

#[test]
fn recertification_reminder_around_send_day() {
    let dates = CertificateDates::at_issue(&rules(5, false, None), date(2026, 12, 4)).unwrap();
    let due_on = date(2031, 12, 4);
    let lead = Days::new(56);
    let send_on = date(2031, 10, 9);
    let reminder = Reminder {
        kind: ReminderKind::RecertificationDue,
        due_on,
        send_on,
    };
    let cases = [
        ("day before send day", previous_day(send_on), vec![]),
        ("send day", send_on, vec![reminder]),
        ("due day", due_on, vec![reminder]),
        ("day after due day", next_day(due_on), vec![]),
    ];
    for (case, today, expected) in cases {
        assert_eq!(dates.due_reminders(lead, today), expected, "{case}");
    }
}

#[test]
fn reminders_of_both_kinds_together() {
    let dates = CertificateDates::at_issue(&rules(5, true, Some(1)), date(2026, 12, 4)).unwrap();
    let reminders = dates.due_reminders(DEFAULT_REMINDER_LEAD, date(2027, 12, 1));
    let kinds: Vec<ReminderKind> = reminders.iter().map(|reminder| reminder.kind).collect();
    assert_eq!(
        kinds,
        [ReminderKind::RenewalDue, ReminderKind::RecertificationDue]
    );
    assert!(
        reminders
            .iter()
            .all(|reminder| reminder.due_on == date(2027, 12, 4))
    );
}

#[test]
fn no_renewal_reminder_at_end_of_validity() {
    let dates = CertificateDates::from_parts(
        date(2026, 12, 4),
        date(2031, 12, 4),
        Some(date(2031, 12, 4)),
        date(2031, 12, 4),
    )
    .unwrap();
    let reminders = dates.due_reminders(DEFAULT_REMINDER_LEAD, date(2031, 12, 1));
    let kinds: Vec<ReminderKind> = reminders.iter().map(|reminder| reminder.kind).collect();
    assert_eq!(kinds, [ReminderKind::RecertificationDue]);
}

#[test]
fn reminder_lead_past_calendar_start() {
    let dates = issued_2026();
    let reminders = dates.due_reminders(Days::new(u64::MAX), date(2026, 12, 5));
    assert_eq!(reminders.len(), 2);
    assert!(
        reminders
            .iter()
            .all(|reminder| reminder.send_on == NaiveDate::MIN)
    );
}

#[test]
fn reminder_kind_codes() {
    assert_eq!(ReminderKind::RenewalDue.code(), "renewal_due");
    assert_eq!(
        ReminderKind::RecertificationDue.code(),
        "recertification_due"
    );
}

#[test]
fn number_format_pads_sequence() {
    let number = CertificateNumber::format(2026, 123).unwrap();
    assert_eq!(number.as_str(), "INC-2026-000123");
    assert_eq!(number.to_string(), "INC-2026-000123");
    assert_eq!(number.year(), 2026);
    assert_eq!(number.sequence(), 123);
    assert_eq!(
        CertificateNumber::format(9999, 999_999).unwrap().as_str(),
        "INC-9999-999999"
    );
}

#[test]
fn number_format_rejects_each_range() {
    let cases = [
        (999, 1, CertificateNumberError::YearOutOfRange),
        (10_000, 1, CertificateNumberError::YearOutOfRange),
        (-2026, 1, CertificateNumberError::YearOutOfRange),
        (2026, 0, CertificateNumberError::SequenceOutOfRange),
        (2026, 1_000_000, CertificateNumberError::SequenceOutOfRange),
    ];
    for (year, sequence, expected) in cases {
        assert_eq!(
            CertificateNumber::format(year, sequence),
            Err(expected),
            "{year} {sequence}"
        );
    }
}

#[test]
fn number_parse_normalises_input() {
    for input in ["INC-2026-000123", " inc-2026-000123\t", "Inc-2026-000123"] {
        let parsed = CertificateNumber::parse(input).map(String::from);
        assert_eq!(parsed, Ok("INC-2026-000123".to_owned()), "{input:?}");
    }
}

#[test]
fn number_parse_rejects_each_rule() {
    let cases = [
        ("", CertificateNumberError::InvalidFormat),
        ("INC-2026", CertificateNumberError::InvalidFormat),
        ("INC-2026-000123-1", CertificateNumberError::InvalidFormat),
        ("ABC-2026-000123", CertificateNumberError::InvalidFormat),
        ("INC-26-000123", CertificateNumberError::InvalidFormat),
        ("INC-2026-123", CertificateNumberError::InvalidFormat),
        ("INC-2026-+00123", CertificateNumberError::InvalidFormat),
        // Arabic-Indic digit three, which is not an ASCII digit.
        ("INC-2026-00012٣", CertificateNumberError::InvalidFormat),
        ("INC 2026 000123", CertificateNumberError::InvalidFormat),
        ("INC-0999-000123", CertificateNumberError::YearOutOfRange),
        (
            "INC-2026-000000",
            CertificateNumberError::SequenceOutOfRange,
        ),
    ];
    for (input, expected) in cases {
        assert_eq!(CertificateNumber::parse(input), Err(expected), "{input:?}");
    }
}

#[test]
fn number_error_codes() {
    let cases = [
        (
            CertificateNumberError::InvalidFormat,
            "certificate_number_invalid_format",
        ),
        (
            CertificateNumberError::YearOutOfRange,
            "certificate_number_year_out_of_range",
        ),
        (
            CertificateNumberError::SequenceOutOfRange,
            "certificate_number_sequence_out_of_range",
        ),
    ];
    for (error, code) in cases {
        assert_eq!(error.code(), code);
    }
}

#[test]
fn number_serde_checks_value() {
    let number = CertificateNumber::format(2026, 7).unwrap();
    let json = serde_json::to_string(&number).unwrap();
    assert_eq!(json, r#""INC-2026-000007""#);
    assert_eq!(
        serde_json::from_str::<CertificateNumber>(&json).unwrap(),
        number
    );
    assert!(serde_json::from_str::<CertificateNumber>(r#""INC-2026-7""#).is_err());
}

#[test]
fn numbers_sort_by_year_then_sequence() {
    let mut numbers = [
        CertificateNumber::format(2027, 1).unwrap(),
        CertificateNumber::format(2026, 120).unwrap(),
        CertificateNumber::format(2026, 9).unwrap(),
    ];
    numbers.sort();
    let sorted: Vec<&str> = numbers.iter().map(CertificateNumber::as_str).collect();
    assert_eq!(
        sorted,
        ["INC-2026-000009", "INC-2026-000120", "INC-2027-000001"]
    );
}

#[test]
fn application_allows_each_listed_move() {
    use ApplicationState::{Approved, AwaitingExam, InReview, Received, Rejected, Withdrawn};

    let allowed = [
        (Received, InReview),
        (Received, AwaitingExam),
        (InReview, AwaitingExam),
        (AwaitingExam, InReview),
        (InReview, Approved),
        (InReview, Rejected),
        (Received, Withdrawn),
        (InReview, Withdrawn),
        (AwaitingExam, Withdrawn),
    ];
    for (from, to) in allowed {
        assert_eq!(from.transition(to), Ok(to), "{from:?} to {to:?}");
        assert!(from.can_transition_to(to), "{from:?} to {to:?}");
    }

    for from in ALL_STATES {
        for to in ALL_STATES {
            if allowed.contains(&(from, to)) {
                continue;
            }
            assert_eq!(
                from.transition(to),
                Err(TransitionError { from, to }),
                "{from:?} to {to:?}"
            );
        }
    }
}

#[test]
fn application_rejects_sample_moves() {
    use ApplicationState::{Approved, AwaitingExam, InReview, Received, Rejected, Withdrawn};

    let rejected = [
        (Received, Approved),
        (AwaitingExam, Approved),
        (Received, Rejected),
        (Approved, Withdrawn),
        (Rejected, InReview),
        (Withdrawn, Received),
        (InReview, Received),
        (InReview, InReview),
    ];
    for (from, to) in rejected {
        let error = from.transition(to).unwrap_err();
        assert_eq!(error.from, from);
        assert_eq!(error.to, to);
        assert_eq!(error.code(), "application_transition_not_allowed");
    }
    let message = AwaitingExam.transition(Approved).unwrap_err().to_string();
    assert_eq!(
        message,
        "application cannot move from awaiting_exam to approved"
    );
}

#[test]
fn application_open_states() {
    let open: Vec<ApplicationState> = ALL_STATES
        .into_iter()
        .filter(ApplicationState::is_open)
        .collect();
    assert_eq!(
        open,
        [
            ApplicationState::Received,
            ApplicationState::InReview,
            ApplicationState::AwaitingExam
        ]
    );
}

#[test]
fn application_codes_and_labels() {
    let cases = [
        (
            ApplicationState::Received,
            "received",
            "Ansökan mottagen",
            "Application received",
        ),
        (
            ApplicationState::InReview,
            "in_review",
            "Under handläggning",
            "In review",
        ),
        (
            ApplicationState::AwaitingExam,
            "awaiting_exam",
            "Väntar på prov",
            "Awaiting exam",
        ),
        (
            ApplicationState::Approved,
            "approved",
            "Godkänd",
            "Approved",
        ),
        (
            ApplicationState::Rejected,
            "rejected",
            "Avslagen",
            "Rejected",
        ),
        (
            ApplicationState::Withdrawn,
            "withdrawn",
            "Återkallad",
            "Withdrawn",
        ),
    ];
    for (state, code, label_sv, label_en) in cases {
        assert_eq!(state.code(), code);
        assert_eq!(state.label_sv(), label_sv);
        assert_eq!(state.label_en(), label_en);
        assert_eq!(
            serde_json::to_string(&state).unwrap(),
            format!("\"{code}\"")
        );
    }
}

/// Generates any date that chrono can represent.
fn any_date() -> impl Strategy<Value = NaiveDate> {
    let first = NaiveDate::MIN.num_days_from_ce();
    let last = NaiveDate::MAX.num_days_from_ce();
    (first..=last).prop_map(|days| NaiveDate::from_num_days_from_ce_opt(days).unwrap())
}

fn any_rules() -> impl Strategy<Value = CertificateRules> {
    (
        MIN_VALIDITY_YEARS..=MAX_VALIDITY_YEARS,
        any::<bool>(),
        any::<bool>(),
        1u32..=10,
    )
        .prop_map(
            |(validity, annual_renewal, has_recertification, recertification)| {
                let recertification = has_recertification.then_some(recertification.min(validity));
                rules(validity, annual_renewal, recertification)
            },
        )
}

proptest! {
    #[test]
    fn status_is_total_for_any_dates(
        rules in any_rules(),
        issued_on in any_date(),
        withdrawn_on in proptest::option::of(any_date()),
        replaced_on in proptest::option::of(any_date()),
        today in any_date(),
        attested_on in any_date(),
        lead_days in any::<u64>(),
    ) {
        let Ok(mut dates) = CertificateDates::at_issue(&rules, issued_on) else {
            return Ok(());
        };
        let status = dates.status(withdrawn_on, replaced_on, today);
        if withdrawn_on.is_some_and(|withdrawn| withdrawn <= today) {
            prop_assert_eq!(status, CertificateStatus::Withdrawn);
        } else if replaced_on.is_some_and(|replaced| replaced <= today) {
            prop_assert_eq!(status, CertificateStatus::Replaced);
        }
        let _ = dates.due_reminders(Days::new(lead_days), today);
        let _ = dates.record_attestation(attested_on);
        let _ = dates.status(withdrawn_on, replaced_on, today);
    }

    #[test]
    fn attestations_keep_due_within_validity(
        rules in any_rules(),
        issued_on in any_date(),
        late_days in 0u64..400,
        count in 0usize..12,
    ) {
        let Ok(mut dates) = CertificateDates::at_issue(&rules, issued_on) else {
            return Ok(());
        };
        for _ in 0..count {
            let Some(due) = dates.annual_renewal_due() else {
                break;
            };
            let Some(attested_on) = due.checked_add_days(Days::new(late_days)) else {
                break;
            };
            match dates.record_attestation(attested_on) {
                Ok(next_due) => {
                    prop_assert!(next_due > due);
                    prop_assert!(next_due <= dates.valid_until());
                }
                Err(_) => prop_assert_eq!(dates.annual_renewal_due(), Some(due)),
            }
        }
    }

    #[test]
    fn number_format_parse_round_trip(
        year in 1000i32..=9999,
        sequence in 1u32..=MAX_CERTIFICATE_SEQUENCE,
    ) {
        let number = CertificateNumber::format(year, sequence).unwrap();
        let parsed = CertificateNumber::parse(number.as_str()).unwrap();
        prop_assert_eq!(parsed.year(), year);
        prop_assert_eq!(parsed.sequence(), sequence);
        prop_assert_eq!(&parsed, &number);
    }

    #[test]
    fn number_parse_never_panics(input in any::<String>()) {
        let _ = CertificateNumber::parse(&input);
    }
}
