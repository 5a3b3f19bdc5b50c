//! Checks the personnummer rules against public test data: Skatteverket's test personnummer
//! and samordningsnummer, and the shared test lists that personnummer libraries in other
//! languages check against. The JSON files are read at compile time from
//! `shared/testdata/personnummer/` beside the repository.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "tests fail loudly on unexpected errors"
)]

use chrono::NaiveDate;
use incert_domain::{LegalSex, ParseOptions, Personnummer, PersonnummerError, PersonnummerKind};
use serde::Deserialize;

const TEST_PERSONNUMMER: &str =
    include_str!("../../../../shared/testdata/personnummer/skatteverket-testpersonnummer.json");
const TEST_SAMORDNINGSNUMMER: &str = include_str!(
    "../../../../shared/testdata/personnummer/skatteverket-testsamordningsnummer.json"
);
const META_LIST: &str = include_str!("../../../../shared/testdata/personnummer/meta-list.json");
const META_INTERIM: &str =
    include_str!("../../../../shared/testdata/personnummer/meta-interim.json");
const META_ORGNUMBER: &str =
    include_str!("../../../../shared/testdata/personnummer/meta-orgnumber.json");

/// Reference date for all data tests. The newest birth date in the Skatteverket files is
/// 31 December 2023, so none of them lies in the future.
///
/// No single date makes every 10-digit form in the shared list resolve to its 12-digit form.
/// People born in 1909 appear without a separator (`0905271474`), and reading that as 1909
/// needs a date before 27 May 2009. The list also contains a valid samordningsnummer born
/// 31 July 2021, which needs a later date. With this date the form without a separator
/// resolves to 2009, and the tests check that.
fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 12, 4).unwrap()
}

fn numbers(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap()
}

/// An entry of the shared test lists. The organisation-number list has only the 10-digit
/// forms.
#[derive(Debug, Deserialize)]
struct MetaEntry {
    long_format: Option<String>,
    short_format: String,
    separated_format: String,
    separated_long: Option<String>,
    valid: bool,
    #[serde(rename = "type")]
    kind: String,
    #[serde(rename = "isMale")]
    is_male: Option<bool>,
    #[serde(rename = "isFemale")]
    is_female: Option<bool>,
}

impl MetaEntry {
    fn expected_sex(&self) -> LegalSex {
        match (self.is_male, self.is_female) {
            (Some(true), Some(false)) => LegalSex::Male,
            (Some(false), Some(true)) => LegalSex::Female,
            other => panic!("entry {self:?} has an unclear sex {other:?}"),
        }
    }

    fn all_formats(&self) -> Vec<&str> {
        let mut formats = vec![self.short_format.as_str(), self.separated_format.as_str()];
        formats.extend(self.long_format.as_deref());
        formats.extend(self.separated_long.as_deref());
        formats
    }
}

fn meta_entries(json: &str) -> Vec<MetaEntry> {
    serde_json::from_str(json).unwrap()
}

#[test]
fn skatteverket_personnummer_all_valid() {
    let all = numbers(TEST_PERSONNUMMER);
    assert_eq!(all.len(), 41_129);

    for long in &all {
        let number = Personnummer::parse_default(long, today())
            .unwrap_or_else(|error| panic!("{long} rejected: {error:?}"));
        assert_eq!(number.kind(), PersonnummerKind::Personnummer, "{long}");
        assert_eq!(number.to_long(), *long);

        let display = number.to_display_on(today());
        let reparsed = Personnummer::parse_default(&display, today());
        assert_eq!(reparsed, Ok(number), "display form {display}");

        // Without a separator the century is read as for `-`, so only people who have not
        // reached their hundredth calendar year round-trip.
        if display.contains('-') {
            let short = display.replace('-', "");
            let reparsed = Personnummer::parse_default(&short, today());
            assert_eq!(reparsed, Ok(number), "short form {short}");
        }
    }
}

#[test]
fn meta_list_formats_agree() {
    let entries = meta_entries(META_LIST);
    assert_eq!(entries.len(), 14);

    for entry in &entries {
        for input in entry.all_formats() {
            let result = Personnummer::parse_default(input, today());
            assert_eq!(result.is_ok(), entry.valid, "{input}: {result:?}");
        }
        if !entry.valid {
            continue;
        }

        let long = entry.long_format.as_deref().unwrap();
        let expected_kind = match entry.kind.as_str() {
            "ssn" => PersonnummerKind::Personnummer,
            "con" => PersonnummerKind::Samordningsnummer,
            other => panic!("unexpected type {other}"),
        };
        let separated_long = entry.separated_long.as_deref().unwrap();
        for input in [long, separated_long, entry.separated_format.as_str()] {
            let number = Personnummer::parse_default(input, today()).unwrap();
            assert_eq!(number.kind(), expected_kind, "{input}");
            assert_eq!(number.legal_sex(), entry.expected_sex(), "{input}");
            assert_eq!(number.to_long(), long, "{input}");
            assert_eq!(
                number.to_display_on(today()),
                entry.separated_format,
                "{input}"
            );
        }

        let from_short = Personnummer::parse_default(&entry.short_format, today()).unwrap();
        if entry.separated_format.contains('+') {
            let century: u32 = long[..2].parse().unwrap();
            let next_century = format!("{}{}", century + 1, &long[2..]);
            assert_eq!(from_short.to_long(), next_century, "{}", entry.short_format);
        } else {
            assert_eq!(from_short.to_long(), long, "{}", entry.short_format);
        }
    }
}

#[test]
fn meta_list_has_valid_and_invalid_entries() {
    let entries = meta_entries(META_LIST);
    let valid = entries.iter().filter(|entry| entry.valid).count();
    assert_eq!(valid, 8);
    assert_eq!(entries.len() - valid, 6);
}

#[test]
fn meta_orgnumbers_all_invalid() {
    let entries = meta_entries(META_ORGNUMBER);
    assert_eq!(entries.len(), 6);
    for entry in &entries {
        assert!(!entry.valid);
        for input in entry.all_formats() {
            let result = Personnummer::parse_default(input, today());
            assert_eq!(
                result,
                Err(PersonnummerError::OrganisationNumber),
                "{input}"
            );
        }
    }
}

/// Counts of parse results over the Skatteverket samordningsnummer.
#[derive(Debug, Default, PartialEq, Eq)]
struct Outcomes {
    valid: usize,
    unknown_birth_date: usize,
    invalid_date: usize,
}

fn parse_all_samordningsnummer(options: ParseOptions) -> Outcomes {
    let mut outcomes = Outcomes::default();
    for long in numbers(TEST_SAMORDNINGSNUMMER) {
        match Personnummer::parse(&long, today(), options) {
            Ok(number) => {
                assert_eq!(number.kind(), PersonnummerKind::Samordningsnummer, "{long}");
                assert_eq!(number.to_long(), long);
                let display = number.to_display_on(today());
                let reparsed = Personnummer::parse(&display, today(), options);
                assert_eq!(reparsed, Ok(number), "display form {display}");
                outcomes.valid += 1;
            }
            Err(PersonnummerError::UnknownBirthDateNotAllowed) => {
                outcomes.unknown_birth_date += 1;
            }
            Err(PersonnummerError::InvalidDate) => outcomes.invalid_date += 1,
            Err(other) => panic!("{long} rejected with {other:?}"),
        }
    }
    outcomes
}

// Of the 2,264 numbers, 2,070 carry a real date. 170 have month 00 and/or day 60 (129 month
// 00 only, 38 day 60 only, 3 both), and 24 have a day that does not exist in their month, such
// as 31 April or 29 February in a common year: 170 + 24 = 194 without a real calendar date.

#[test]
fn skatteverket_samordningsnummer_default_options() {
    let outcomes = parse_all_samordningsnummer(ParseOptions::default());
    let expected = Outcomes {
        valid: 2_070,
        unknown_birth_date: 170,
        invalid_date: 24,
    };
    assert_eq!(outcomes, expected);
}

#[test]
fn skatteverket_samordningsnummer_unknown_dates_allowed() {
    let options = ParseOptions {
        allow_unknown_birth_date: true,
        ..ParseOptions::default()
    };
    let outcomes = parse_all_samordningsnummer(options);
    let expected = Outcomes {
        valid: 2_240,
        unknown_birth_date: 0,
        invalid_date: 24,
    };
    assert_eq!(outcomes, expected);
}

#[test]
fn meta_interim_rejected_by_default() {
    let entries = meta_entries(META_INTERIM);
    assert_eq!(entries.len(), 12);
    for entry in &entries {
        for input in entry.all_formats() {
            let result = Personnummer::parse_default(input, today());
            let expected = if entry.valid {
                PersonnummerError::InterimNotAllowed
            } else {
                PersonnummerError::InvalidFormat
            };
            assert_eq!(result, Err(expected), "{input}");
        }
    }
}

#[test]
fn meta_interim_accepted_with_option() {
    let options = ParseOptions {
        allow_interim: true,
        ..ParseOptions::default()
    };
    let entries = meta_entries(META_INTERIM);
    let valid = entries.iter().filter(|entry| entry.valid).count();
    assert_eq!(valid, 11);

    for entry in &entries {
        for input in entry.all_formats() {
            let result = Personnummer::parse(input, today(), options);
            if !entry.valid {
                assert_eq!(result, Err(PersonnummerError::InvalidFormat), "{input}");
                continue;
            }
            let number = result.unwrap();
            assert_eq!(number.kind(), PersonnummerKind::Interim, "{input}");
            assert_eq!(number.legal_sex(), entry.expected_sex(), "{input}");
            assert_eq!(Some(number.to_long()), entry.long_format, "{input}");
            assert_eq!(
                number.to_display_on(today()),
                entry.separated_format,
                "{input}"
            );
        }
    }
}
