#![allow(
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "tests fail loudly on unexpected errors"
)]

use chrono::NaiveDate;
use proptest::prelude::*;

use super::*;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}

/// Fixed reference date for the table tests.
fn today() -> NaiveDate {
    date(2026, 12, 4)
}

const RELAXED: ParseOptions = ParseOptions {
    allow_unknown_birth_date: true,
    allow_interim: true,
};

fn parse(input: &str) -> Result<Personnummer, PersonnummerError> {
    Personnummer::parse_default(input, today())
}

fn long_of(input: &str) -> String {
    parse(input).unwrap().to_long()
}

#[test]
fn accepted_forms_give_same_number() {
    for input in [
        "198001011231",
        "19800101-1231",
        "19800101+1231",
        "800101-1231",
        "8001011231",
        "  19800101-1231\n",
        "\t800101-1231 ",
    ] {
        assert_eq!(long_of(input), "198001011231", "input {input:?}");
    }
}

#[test]
fn malformed_inputs_rejected() {
    let cases = [
        ("", PersonnummerError::Empty),
        ("   ", PersonnummerError::Empty),
        ("19800101 1231", PersonnummerError::InvalidFormat),
        ("800101 1231", PersonnummerError::InvalidFormat),
        ("800101 - 1231", PersonnummerError::InvalidFormat),
        ("19800101/1231", PersonnummerError::InvalidFormat),
        ("800101_1231", PersonnummerError::InvalidFormat),
        ("800101\u{2013}1231", PersonnummerError::InvalidFormat),
        ("800101--1231", PersonnummerError::InvalidFormat),
        ("1980-01-01-1231", PersonnummerError::InvalidFormat),
        ("19800101-123", PersonnummerError::InvalidFormat),
        ("1980010112311", PersonnummerError::InvalidFormat),
        ("800101123", PersonnummerError::InvalidFormat),
        ("80010112311", PersonnummerError::InvalidFormat),
        ("19800101-123A", PersonnummerError::InvalidFormat),
        ("19800101-A231", PersonnummerError::InvalidFormat),
        ("1980O101-1231", PersonnummerError::InvalidFormat),
        ("１９８００１０１１２３１", PersonnummerError::InvalidFormat),
        ("20000101-t220", PersonnummerError::InvalidFormat),
        ("20000101-E221", PersonnummerError::InvalidFormat),
    ];
    for (input, expected) in cases {
        assert_eq!(parse(input), Err(expected), "input {input:?}");
    }
}

#[test]
fn leap_days_follow_gregorian_calendar() {
    assert_eq!(long_of("20000229-1235"), "200002291235");
    assert_eq!(parse("19000229-1235"), Err(PersonnummerError::InvalidDate));
    assert_eq!(parse("20010229-1231"), Err(PersonnummerError::InvalidDate));
    assert_eq!(parse("300229-1239"), Err(PersonnummerError::InvalidDate));
}

#[test]
fn impossible_dates_rejected() {
    for input in [
        "19800001-1231",
        "19801301-1231",
        "19800100-1231",
        "19800132-1231",
        "19800431-1231",
        "19800159-1231",
        "19800192-1231",
        "19501902-1231",
    ] {
        assert_eq!(
            parse(input),
            Err(PersonnummerError::InvalidDate),
            "input {input:?}"
        );
    }
}

#[test]
fn birth_number_zero_rejected() {
    assert_eq!(
        parse("8001010019").map(|number| number.to_long()),
        Ok("198001010019".to_owned())
    );
    assert_eq!(
        parse("20150916-0006"),
        Err(PersonnummerError::BirthNumberZero)
    );
}

#[test]
fn wrong_check_digit_rejected() {
    assert_eq!(
        parse("19800101-1234"),
        Err(PersonnummerError::InvalidChecksum)
    );
    assert_eq!(
        parse("800101-1230"),
        Err(PersonnummerError::InvalidChecksum)
    );
}

#[test]
fn future_birth_date_rejected() {
    assert_eq!(
        parse("20261205-1231"),
        Err(PersonnummerError::FutureBirthDate)
    );
    let born_today = parse("20261204-1232").unwrap();
    assert_eq!(born_today.age_on(today()), Some(0));
}

#[test]
fn ten_digits_pick_latest_past_century() {
    assert_eq!(long_of("0002291235"), "200002291235");
    assert_eq!(long_of("261204-1232"), "202612041232");
    // 5 December 2026 is after today, so the previous century is meant.
    assert_eq!(long_of("261205-1231"), "192612051231");
    assert_eq!(long_of("270101-1237"), "192701011237");
}

#[test]
fn plus_means_hundred_in_calendar_year() {
    assert_eq!(long_of("090527+1474"), "190905271474");
    assert_eq!(long_of("270101+1237"), "182701011237");
    // Turns 100 on 20 December 2026, so `+` applies from 1 January 2026.
    assert_eq!(long_of("261220+1232"), "192612201232");
    assert_eq!(long_of("261220-1232"), "192612201232");
}

#[test]
fn plus_depends_on_today() {
    let number = Personnummer::parse_default("261220+1232", date(2025, 12, 31)).unwrap();
    assert_eq!(number.to_long(), "182612201232");
    let number = Personnummer::parse_default("261220+1232", date(2026, 1, 1)).unwrap();
    assert_eq!(number.to_long(), "192612201232");
}

#[test]
fn century_outside_1800_to_2099_rejected() {
    for input in [
        "178001011231",
        "17800101-1231",
        "218001011231",
        "008001011231",
    ] {
        assert_eq!(
            parse(input),
            Err(PersonnummerError::InvalidCentury),
            "input {input:?}"
        );
    }
    let number = parse("18900101-9802").unwrap();
    assert_eq!(number.to_long(), "189001019802");
}

#[test]
fn organisation_numbers_rejected() {
    for input in [
        "802005-1952",
        "8020051952",
        "168020051952",
        "16802005-1952",
        "5560360793",
    ] {
        assert_eq!(
            parse(input),
            Err(PersonnummerError::OrganisationNumber),
            "input {input:?}"
        );
    }
}

#[test]
fn samordningsnummer_has_day_minus_sixty() {
    let number = parse("19730288-9931").unwrap();
    assert_eq!(number.kind(), PersonnummerKind::Samordningsnummer);
    assert_eq!(number.birth_date(), BirthDate::Known(date(1973, 2, 28)));
    assert_eq!(number.to_long(), "197302889931");
    assert_eq!(number.masked(), "19730288-****");
    assert_eq!(number.to_display_on(today()), "730288-9931");
    assert_eq!(number.age_on(today()), Some(53));
}

#[test]
fn unknown_birth_date_needs_option() {
    for input in ["191500722390", "19750260-1234", "001260-1233", "0012601233"] {
        assert_eq!(
            parse(input),
            Err(PersonnummerError::UnknownBirthDateNotAllowed),
            "input {input:?}"
        );
    }

    let relaxed = ParseOptions {
        allow_unknown_birth_date: true,
        ..ParseOptions::default()
    };
    let month_unknown = Personnummer::parse("191500722390", today(), relaxed).unwrap();
    assert_eq!(month_unknown.kind(), PersonnummerKind::Samordningsnummer);
    assert_eq!(
        month_unknown.birth_date(),
        BirthDate::Partial {
            year: 1915,
            month: None,
            day: Some(12)
        }
    );
    assert_eq!(month_unknown.age_on(today()), None);
    assert_eq!(month_unknown.masked(), "19150072-****");

    let day_unknown = Personnummer::parse("001260-1233", today(), relaxed).unwrap();
    assert_eq!(
        day_unknown.birth_date(),
        BirthDate::Partial {
            year: 2000,
            month: Some(12),
            day: None
        }
    );
    assert_eq!(day_unknown.birth_date().known(), None);
    assert_eq!(day_unknown.birth_date().year(), 2000);
}

#[test]
fn impossible_samordningsnummer_date_rejected_with_option() {
    // 29 February 1951 + 60: 1951 is not a leap year.
    assert_eq!(
        Personnummer::parse("195102892386", today(), RELAXED),
        Err(PersonnummerError::InvalidDate)
    );
    // 31 April + 60.
    assert_eq!(
        Personnummer::parse("192004912388", today(), RELAXED),
        Err(PersonnummerError::InvalidDate)
    );
    // Month 00 is only used for samordningsnummer.
    assert_eq!(
        Personnummer::parse("19800001-1231", today(), RELAXED),
        Err(PersonnummerError::InvalidDate)
    );
}

#[test]
fn interim_numbers_need_option() {
    assert_eq!(
        parse("20000101-T220"),
        Err(PersonnummerError::InterimNotAllowed)
    );
    assert_eq!(
        parse("000101T220"),
        Err(PersonnummerError::InterimNotAllowed)
    );

    let number = Personnummer::parse("20000101-T220", today(), RELAXED).unwrap();
    assert_eq!(number.kind(), PersonnummerKind::Interim);
    assert_eq!(number.birth_date(), BirthDate::Known(date(2000, 1, 1)));
    assert_eq!(number.legal_sex(), LegalSex::Female);
    assert_eq!(number.to_long(), "20000101T220");
    assert_eq!(number.to_display_on(today()), "000101-T220");
    assert_eq!(number.masked(), "20000101-****");

    assert_eq!(
        Personnummer::parse("20000101-T221", today(), RELAXED),
        Err(PersonnummerError::InvalidChecksum)
    );
    assert_eq!(
        Personnummer::parse("20000161-T220", today(), RELAXED),
        Err(PersonnummerError::InvalidDate)
    );
}

#[test]
fn legal_sex_from_ninth_digit() {
    assert_eq!(parse("19800101-1231").unwrap().legal_sex(), LegalSex::Male);
    assert_eq!(
        parse("19460823-9986").unwrap().legal_sex(),
        LegalSex::Female
    );
    assert_eq!(parse("19090527+1474").unwrap().legal_sex(), LegalSex::Male);
}

#[test]
fn age_counts_whole_years() {
    let number = parse("20000229-1235").unwrap();
    assert_eq!(number.age_on(date(2000, 2, 28)), None);
    assert_eq!(number.age_on(date(2000, 2, 29)), Some(0));
    assert_eq!(number.age_on(date(2001, 2, 28)), Some(0));
    assert_eq!(number.age_on(date(2001, 3, 1)), Some(1));
    assert_eq!(number.age_on(date(2004, 2, 29)), Some(4));
    assert_eq!(number.age_on(today()), Some(26));
}

#[test]
fn display_switches_to_plus_in_hundredth_year() {
    let number = parse("19261220-1232").unwrap();
    assert_eq!(number.to_display_on(date(2025, 12, 31)), "261220-1232");
    assert_eq!(number.to_display_on(date(2026, 1, 1)), "261220+1232");
    assert_eq!(number.to_display_on(today()), "261220+1232");
    assert_eq!(number.age_on(today()), Some(99));
}

#[test]
fn debug_prints_only_masked_form() {
    let number = parse("19800101-1231").unwrap();
    let debug = format!("{number:?}");
    assert_eq!(debug, "Personnummer(\"19800101-****\")");
    assert!(!debug.contains("1231"));
}

#[test]
fn serde_uses_long_form() {
    let number = parse("800101-1231").unwrap();
    assert_eq!(serde_json::to_string(&number).unwrap(), "\"198001011231\"");
    let read: Personnummer = serde_json::from_str("\"198001011231\"").unwrap();
    assert_eq!(read, number);
}

#[test]
fn serde_rejects_other_forms_and_bad_numbers() {
    for json in [
        "\"800101-1231\"",
        "\"19800101-1231\"",
        "\" 198001011231\"",
        "\"198001011234\"",
        "\"\"",
        "198001011231",
    ] {
        let result = serde_json::from_str::<Personnummer>(json);
        assert!(result.is_err(), "json {json}");
    }
}

#[test]
fn canonical_form_accepts_every_kind() {
    let interim = Personnummer::from_canonical("20000101T220").unwrap();
    assert_eq!(interim.kind(), PersonnummerKind::Interim);
    let unknown = Personnummer::try_from("191500722390").unwrap();
    assert_eq!(unknown.birth_date().known(), None);
    assert_eq!(
        Personnummer::from_canonical(""),
        Err(PersonnummerError::Empty)
    );
    assert_eq!(
        Personnummer::from_canonical("8001011231"),
        Err(PersonnummerError::InvalidFormat)
    );
}

#[test]
fn error_codes_unique_and_prefixed() {
    let errors = [
        PersonnummerError::Empty,
        PersonnummerError::InvalidFormat,
        PersonnummerError::InvalidCentury,
        PersonnummerError::InvalidDate,
        PersonnummerError::FutureBirthDate,
        PersonnummerError::BirthNumberZero,
        PersonnummerError::InvalidChecksum,
        PersonnummerError::OrganisationNumber,
        PersonnummerError::InterimNotAllowed,
        PersonnummerError::UnknownBirthDateNotAllowed,
    ];
    let mut codes: Vec<&str> = errors.iter().map(PersonnummerError::code).collect();
    for code in &codes {
        assert!(code.starts_with("personnummer_"), "code {code}");
    }
    codes.sort_unstable();
    codes.dedup();
    assert_eq!(codes.len(), errors.len());
}

/// Finds the check digit that completes `YYYYMMDDNNN` by trying all ten, and asserts that
/// exactly one is accepted.
fn complete_with_check_digit(without_check: &str) -> Personnummer {
    let accepted: Vec<Personnummer> = (0..=9)
        .filter_map(|check| Personnummer::from_canonical(&format!("{without_check}{check}")).ok())
        .collect();
    assert_eq!(accepted.len(), 1, "prefix {without_check}");
    accepted[0]
}

fn birth_dates() -> impl Strategy<Value = NaiveDate> {
    let first = date(1890, 1, 1);
    let span = today().signed_duration_since(first).num_days();
    (0..=span).prop_map(move |offset| first + chrono::Duration::days(offset))
}

proptest! {
    #[test]
    fn arbitrary_input_never_panics(input in any::<String>(), day_offset in -80_000i64..80_000) {
        let reference = today() + chrono::Duration::days(day_offset);
        let _ = Personnummer::parse(&input, reference, ParseOptions::default());
        let _ = Personnummer::parse(&input, reference, RELAXED);
        let _ = Personnummer::from_canonical(&input);
    }

    #[test]
    fn number_like_input_never_panics(
        input in "[0-9TRSUWXJKLMNEt+ -]{0,14}",
        year in -300_000i32..300_000,
    ) {
        // chrono's year range is about ±262,000, so out-of-range years fall back to today.
        let reference = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or_else(today);
        for options in [ParseOptions::default(), RELAXED] {
            if let Ok(number) = Personnummer::parse(&input, reference, options) {
                let _ = number.to_display_on(reference);
                let _ = number.age_on(reference);
                let _ = number.masked();
            }
        }
    }

    #[test]
    fn valid_numbers_round_trip(
        birth in birth_dates(),
        birth_number in 1u32..=999,
        coordination in any::<bool>(),
    ) {
        let written_day = if coordination { birth.day() + 60 } else { birth.day() };
        let prefix = format!(
            "{:04}{:02}{:02}{birth_number:03}",
            birth.year(),
            birth.month(),
            written_day
        );
        let number = complete_with_check_digit(&prefix);
        let long = number.to_long();
        let expected_kind = if coordination {
            PersonnummerKind::Samordningsnummer
        } else {
            PersonnummerKind::Personnummer
        };
        prop_assert_eq!(number.kind(), expected_kind);
        prop_assert_eq!(number.birth_date(), BirthDate::Known(birth));

        let display = number.to_display_on(today());
        let separated_long = format!("{}-{}", &long[..8], &long[8..]);
        for input in [long.as_str(), display.as_str(), separated_long.as_str()] {
            let reparsed = Personnummer::parse_default(input, today());
            prop_assert_eq!(reparsed, Ok(number), "input {}", input);
        }
        prop_assert_eq!(display.len(), 11);
        prop_assert_eq!(&display[..6], &long[2..8]);
        prop_assert_eq!(&display[7..], &long[8..]);
        prop_assert_eq!(number.masked(), format!("{}-****", &long[..8]));

        let json = serde_json::to_string(&number).unwrap();
        let from_json: Personnummer = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(from_json, number);
    }
}
