//! Swedish personal identity numbers: personnummer, samordningsnummer (coordination numbers)
//! and, when a caller allows them, interim numbers.
//!
//! A [`Personnummer`] is stored in its 12-character form `YYYYMMDDNNNC`. The number is personal
//! data, so the type implements no `Display`, and its `Debug` output prints only the masked form
//! `YYYYMMDD-****`. The full number is available through the explicit accessors
//! [`Personnummer::to_long`] and [`Personnummer::to_display_on`].
//!
//! Accepted input, after trimming surrounding whitespace:
//!
//! | form | century |
//! |---|---|
//! | `YYMMDDNNNC`, `YYMMDD-NNNC` | latest century that puts the birth date on or before `today` |
//! | `YYMMDD+NNNC` | latest century in which the person turns 100 in or before the year of `today` |
//! | `YYYYMMDDNNNC`, `YYYYMMDD-NNNC`, `YYYYMMDD+NNNC` | as written: 18, 19 or 20 |
//!
//! In the 12-digit forms the century is explicit, so `-` and `+` are both accepted and carry no
//! meaning. Any other separator, inner whitespace, lower-case letters or another length is
//! rejected with [`PersonnummerError::InvalidFormat`].

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Samordningsnummer add this to the day of birth.
const COORDINATION_DAY_OFFSET: u8 = 60;

/// Letters that can open the birth number of an interim number. The check digit is computed
/// as if the letter were the digit 1.
const INTERIM_LETTERS: &[u8] = b"TRSUWXJKLMN";

/// Kind of identity number stored in a [`Personnummer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PersonnummerKind {
    /// Personnummer, assigned to people registered in Sweden.
    Personnummer,
    /// Samordningsnummer, assigned to people who are or were not registered in Sweden. The day
    /// of birth is written with 60 added.
    Samordningsnummer,
    /// Interim number (for example a T-number) that some organisations assign until a person
    /// has a personnummer. The first character of the birth number is a letter.
    Interim,
}

/// Legal sex as coded in the ninth digit: odd for male, even for female.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LegalSex {
    Female,
    Male,
}

/// Date of birth encoded in the number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BirthDate {
    /// A real calendar date.
    Known(NaiveDate),
    /// A samordningsnummer written with month 00 and/or day 60, meaning that the month and/or
    /// the day is unknown. Only parsed with [`ParseOptions::allow_unknown_birth_date`].
    Partial {
        year: i32,
        month: Option<u32>,
        day: Option<u32>,
    },
}

impl BirthDate {
    /// Returns the date if it is fully known.
    pub fn known(self) -> Option<NaiveDate> {
        match self {
            Self::Known(date) => Some(date),
            Self::Partial { .. } => None,
        }
    }

    /// Returns the year of birth, which every accepted number carries.
    pub fn year(self) -> i32 {
        match self {
            Self::Known(date) => date.year(),
            Self::Partial { year, .. } => year,
        }
    }
}

/// Relaxations of the default rules. Both are off by default.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ParseOptions {
    /// Accept samordningsnummer with month 00 and/or day 60 (unknown month or day). Impossible
    /// dates such as 30 February are rejected even with this option.
    pub allow_unknown_birth_date: bool,
    /// Accept interim numbers such as `20000101-T220`.
    pub allow_interim: bool,
}

/// The rule that an input failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum PersonnummerError {
    #[error("personnummer is empty")]
    Empty,
    #[error(
        "personnummer has an invalid format; expected YYYYMMDDNNNC, YYYYMMDD-NNNC, YYMMDD-NNNC, YYMMDD+NNNC or YYMMDDNNNC"
    )]
    InvalidFormat,
    #[error("personnummer has an invalid century; only years 1800 to 2099 are accepted")]
    InvalidCentury,
    #[error("personnummer contains an invalid date")]
    InvalidDate,
    #[error("personnummer contains a birth date after today")]
    FutureBirthDate,
    #[error("personnummer has the birth number 000, which is never assigned")]
    BirthNumberZero,
    #[error("personnummer check digit does not match; check the number for typing errors")]
    InvalidChecksum,
    #[error("the number is an organisation number, not a personnummer")]
    OrganisationNumber,
    #[error("interim numbers are not accepted here")]
    InterimNotAllowed,
    #[error("samordningsnummer with an unknown month or day of birth are not accepted here")]
    UnknownBirthDateNotAllowed,
}

impl PersonnummerError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "personnummer_empty",
            Self::InvalidFormat => "personnummer_invalid_format",
            Self::InvalidCentury => "personnummer_invalid_century",
            Self::InvalidDate => "personnummer_invalid_date",
            Self::FutureBirthDate => "personnummer_future_birth_date",
            Self::BirthNumberZero => "personnummer_birth_number_zero",
            Self::InvalidChecksum => "personnummer_invalid_checksum",
            Self::OrganisationNumber => "personnummer_organisation_number",
            Self::InterimNotAllowed => "personnummer_interim_not_allowed",
            Self::UnknownBirthDateNotAllowed => "personnummer_unknown_birth_date_not_allowed",
        }
    }
}

/// A validated personnummer, samordningsnummer or interim number.
///
/// Serde reads and writes the 12-character form `YYYYMMDDNNNC`, and deserialising validates it
/// with [`Personnummer::from_canonical`]. That check cannot reject future birth dates or apply
/// [`ParseOptions`], so user input must go through [`Personnummer::parse`] instead.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Personnummer {
    /// ASCII `YYYYMMDDNNNC`; an interim letter sits at index 8.
    long: [u8; 12],
    kind: PersonnummerKind,
    birth_date: BirthDate,
}

/// The separator between date and birth number in the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Separator {
    Minus,
    Plus,
}

/// Fields split from an input that has the right shape. Nothing beyond the shape is checked.
#[derive(Debug, Clone, Copy)]
struct RawNumber {
    /// First two digits of the year, present in the 12-digit forms.
    century: Option<u8>,
    /// Last two digits of the year.
    year_of_century: u8,
    month: u8,
    /// Day as written, so 61 to 91 for a samordningsnummer.
    day: u8,
    /// ASCII birth number; the first byte may be an interim letter.
    birth_number: [u8; 3],
    check_digit: u8,
    separator: Option<Separator>,
}

impl Personnummer {
    /// Parses user input with the default [`ParseOptions`], which reject interim numbers and
    /// samordningsnummer with an unknown birth date.
    pub fn parse_default(input: &str, today: NaiveDate) -> Result<Self, PersonnummerError> {
        Self::parse(input, today, ParseOptions::default())
    }

    /// Parses user input in any of the accepted forms (see the module documentation).
    ///
    /// `today` is the current date in Europe/Stockholm, supplied by the caller. It resolves the
    /// century of 10-digit input and rejects birth dates after it.
    pub fn parse(
        input: &str,
        today: NaiveDate,
        options: ParseOptions,
    ) -> Result<Self, PersonnummerError> {
        let raw = RawNumber::split(input)?;
        let year = match raw.century {
            Some(century) => i32::from(century) * 100 + i32::from(raw.year_of_century),
            None => raw.resolve_year(today),
        };
        let number = Self::from_raw(&raw, year, options)?;
        if number.is_born_after(today) {
            return Err(PersonnummerError::FutureBirthDate);
        }
        Ok(number)
    }

    /// Parses a stored number in the 12-character form `YYYYMMDDNNNC` that [`Self::to_long`]
    /// returns.
    ///
    /// Every kind is accepted, including interim numbers and unknown birth dates, because the
    /// number was checked against the caller's options when it was first parsed. Without a
    /// `today` this cannot reject a birth date in the future.
    pub fn from_canonical(input: &str) -> Result<Self, PersonnummerError> {
        if input.is_empty() {
            return Err(PersonnummerError::Empty);
        }
        // The length check also rejects surrounding whitespace and separators.
        if input.len() != 12 {
            return Err(PersonnummerError::InvalidFormat);
        }
        let raw = RawNumber::split(input)?;
        let Some(century) = raw.century else {
            return Err(PersonnummerError::InvalidFormat);
        };
        let year = i32::from(century) * 100 + i32::from(raw.year_of_century);
        let options = ParseOptions {
            allow_unknown_birth_date: true,
            allow_interim: true,
        };
        Self::from_raw(&raw, year, options)
    }

    /// Checks every rule that does not depend on `today`, for a number whose full year is known.
    fn from_raw(
        raw: &RawNumber,
        year: i32,
        options: ParseOptions,
    ) -> Result<Self, PersonnummerError> {
        if !(1800..=2099).contains(&year) {
            return Err(PersonnummerError::InvalidCentury);
        }

        let [birth_number_start, ..] = raw.birth_number;
        let is_interim = INTERIM_LETTERS.contains(&birth_number_start);
        if is_interim && !options.allow_interim {
            return Err(PersonnummerError::InterimNotAllowed);
        }

        let is_coordination = raw.day >= COORDINATION_DAY_OFFSET;
        if is_interim && is_coordination {
            // NOTE: interim numbers with day + 60 are rejected. Whether such numbers are
            // issued is not known here, so this rule is an assumption.
            return Err(PersonnummerError::InvalidDate);
        }
        let birth_date = birth_date(year, raw.month, raw.day, options)?;

        if raw.birth_number == *b"000" {
            return Err(PersonnummerError::BirthNumberZero);
        }
        if raw.check_digit != raw.expected_check_digit() {
            return Err(PersonnummerError::InvalidChecksum);
        }

        let kind = if is_interim {
            PersonnummerKind::Interim
        } else if is_coordination {
            PersonnummerKind::Samordningsnummer
        } else {
            PersonnummerKind::Personnummer
        };
        Ok(Self {
            long: raw.long_form(year),
            kind,
            birth_date,
        })
    }

    /// Returns whether the birth date, or its known part, lies after `date`.
    fn is_born_after(&self, date: NaiveDate) -> bool {
        let birth_key = match self.birth_date {
            BirthDate::Known(birth) => (birth.year(), birth.month(), birth.day()),
            BirthDate::Partial { year, month, day } => (year, month.unwrap_or(0), day.unwrap_or(0)),
        };
        birth_key > (date.year(), date.month(), date.day())
    }

    pub fn kind(&self) -> PersonnummerKind {
        self.kind
    }

    pub fn birth_date(&self) -> BirthDate {
        self.birth_date
    }

    /// Returns the legal sex coded in the ninth digit (the last digit of the birth number).
    pub fn legal_sex(&self) -> LegalSex {
        let [.., sex_digit, _check_digit] = self.long;
        if sex_digit.wrapping_sub(b'0') % 2 == 1 {
            LegalSex::Male
        } else {
            LegalSex::Female
        }
    }

    /// Returns the age in whole years on `date`, or `None` when the birth date is not fully
    /// known or lies after `date`. Someone born on 29 February turns a year older on 1 March in
    /// common years.
    pub fn age_on(&self, date: NaiveDate) -> Option<u32> {
        date.years_since(self.birth_date.known()?)
    }

    /// Returns the full 12-character form `YYYYMMDDNNNC`, for storage and for BankID.
    pub fn to_long(&self) -> String {
        self.long.iter().copied().map(char::from).collect()
    }

    /// Returns the official 10-character form `YYMMDD-NNNC` as written on `date`.
    ///
    /// The separator becomes `+` from the start of the calendar year in which the person turns
    /// 100, so the result depends on the reference date. [`Self::parse`] with `date` as `today`
    /// reads the result back to the same number, provided the person was born on or before
    /// `date` and less than 200 years before it.
    pub fn to_display_on(&self, date: NaiveDate) -> String {
        let separator = if date.year() - self.birth_date.year() >= 100 {
            '+'
        } else {
            '-'
        };
        let (date_part, serial_part) = self.short_parts();
        let mut display = String::with_capacity(11);
        display.extend(date_part.iter().copied().map(char::from));
        display.push(separator);
        display.extend(serial_part.iter().copied().map(char::from));
        display
    }

    /// Returns the form that is safe to show in lists and logs, `YYYYMMDD-****`.
    ///
    /// The date part is written as in the number, so a samordningsnummer shows its day + 60.
    pub fn masked(&self) -> String {
        let [y1, y2, y3, y4, m1, m2, d1, d2, ..] = self.long;
        let mut masked: String = [y1, y2, y3, y4, m1, m2, d1, d2]
            .into_iter()
            .map(char::from)
            .collect();
        masked.push_str("-****");
        masked
    }

    /// Splits the long form into `YYMMDD` and `NNNC`.
    fn short_parts(&self) -> ([u8; 6], [u8; 4]) {
        let [_, _, y3, y4, m1, m2, d1, d2, n1, n2, n3, check] = self.long;
        ([y3, y4, m1, m2, d1, d2], [n1, n2, n3, check])
    }
}

impl fmt::Debug for Personnummer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Personnummer").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for Personnummer {
    type Error = PersonnummerError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::from_canonical(&value)
    }
}

impl TryFrom<&str> for Personnummer {
    type Error = PersonnummerError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::from_canonical(value)
    }
}

impl From<Personnummer> for String {
    fn from(value: Personnummer) -> Self {
        value.to_long()
    }
}

impl RawNumber {
    /// Trims the input and splits it into fields, checking only its shape and the month range
    /// that marks organisation numbers.
    fn split(input: &str) -> Result<Self, PersonnummerError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(PersonnummerError::Empty);
        }
        let bytes = trimmed.as_bytes();

        let (century, rest) = match bytes {
            [c1, c2, rest @ ..] if rest.len() == 10 || rest.len() == 11 => {
                (Some(two_digits(*c1, *c2)?), rest)
            }
            _ => (None, bytes),
        };
        let (date, separator, serial) = match rest {
            [y1, y2, m1, m2, d1, d2, n1, n2, n3, c] => {
                ([*y1, *y2, *m1, *m2, *d1, *d2], None, [*n1, *n2, *n3, *c])
            }
            [y1, y2, m1, m2, d1, d2, sep, n1, n2, n3, c] => {
                let separator = match sep {
                    b'-' => Separator::Minus,
                    b'+' => Separator::Plus,
                    _ => return Err(PersonnummerError::InvalidFormat),
                };
                (
                    [*y1, *y2, *m1, *m2, *d1, *d2],
                    Some(separator),
                    [*n1, *n2, *n3, *c],
                )
            }
            _ => return Err(PersonnummerError::InvalidFormat),
        };

        let [y1, y2, m1, m2, d1, d2] = date;
        let [n1, n2, n3, c] = serial;
        let is_birth_number_start = n1.is_ascii_digit() || INTERIM_LETTERS.contains(&n1);
        if !is_birth_number_start || !n2.is_ascii_digit() || !n3.is_ascii_digit() {
            return Err(PersonnummerError::InvalidFormat);
        }
        let raw = Self {
            century,
            year_of_century: two_digits(y1, y2)?,
            month: two_digits(m1, m2)?,
            day: two_digits(d1, d2)?,
            birth_number: [n1, n2, n3],
            check_digit: digit(c)?,
            separator,
        };

        // Organisation numbers have a "month" of 20 or more, and some registers write them
        // with the prefix 16, so this rule is checked before the century.
        if raw.month >= 20 {
            return Err(PersonnummerError::OrganisationNumber);
        }
        if let Some(century) = raw.century
            && !(18..=20).contains(&century)
        {
            return Err(PersonnummerError::InvalidCentury);
        }
        Ok(raw)
    }

    /// Picks the full year for 10-digit input. With `+`, it is the latest year in which the
    /// person turns 100 in or before the year of `today`. Otherwise it is the latest year that
    /// puts the birth date on or before `today`.
    fn resolve_year(&self, today: NaiveDate) -> i32 {
        let year_of_century = i32::from(self.year_of_century);
        let latest_year_on_or_before =
            |limit: i32| limit - (limit - year_of_century).rem_euclid(100);

        if self.separator == Some(Separator::Plus) {
            return latest_year_on_or_before(today.year() - 100);
        }

        let year = latest_year_on_or_before(today.year());
        // An unknown month or day (00 or day 60) compares as 0, the earliest possible value.
        let day = self.day % COORDINATION_DAY_OFFSET;
        if year == today.year()
            && (u32::from(self.month), u32::from(day)) > (today.month(), today.day())
        {
            year - 100
        } else {
            year
        }
    }

    /// Computes the Luhn check digit over `YYMMDDNNN`, with an interim letter counted as 1.
    fn expected_check_digit(&self) -> u8 {
        let date_digits = [
            self.year_of_century / 10,
            self.year_of_century % 10,
            self.month / 10,
            self.month % 10,
            self.day / 10,
            self.day % 10,
        ];
        let birth_number_digits = self.birth_number.map(|byte| digit_value(byte).unwrap_or(1));

        crate::luhn::check_digit(date_digits.into_iter().chain(birth_number_digits))
    }

    /// Builds the ASCII long form for a year in 1800..=2099, which `from_raw` checked.
    fn long_form(self, year: i32) -> [u8; 12] {
        let century = u8::try_from(year / 100).unwrap_or(0);
        let [n1, n2, n3] = self.birth_number;
        [
            ascii_digit(century / 10),
            ascii_digit(century % 10),
            ascii_digit(self.year_of_century / 10),
            ascii_digit(self.year_of_century % 10),
            ascii_digit(self.month / 10),
            ascii_digit(self.month % 10),
            ascii_digit(self.day / 10),
            ascii_digit(self.day % 10),
            n1,
            n2,
            n3,
            ascii_digit(self.check_digit),
        ]
    }
}

/// Checks month and day as written and builds the birth date they encode.
fn birth_date(
    year: i32,
    month: u8,
    written_day: u8,
    options: ParseOptions,
) -> Result<BirthDate, PersonnummerError> {
    let day = match written_day {
        1..=31 => written_day,
        // Day 60 is a samordningsnummer with an unknown day, written as 0 here.
        60..=91 => written_day - COORDINATION_DAY_OFFSET,
        _ => return Err(PersonnummerError::InvalidDate),
    };
    let is_coordination = written_day >= COORDINATION_DAY_OFFSET;
    if month > 12 || (month == 0 && !is_coordination) {
        return Err(PersonnummerError::InvalidDate);
    }

    let month = u32::from(month);
    let day = u32::from(day);
    if month != 0 && day != 0 {
        return NaiveDate::from_ymd_opt(year, month, day)
            .map(BirthDate::Known)
            .ok_or(PersonnummerError::InvalidDate);
    }

    if !options.allow_unknown_birth_date {
        return Err(PersonnummerError::UnknownBirthDateNotAllowed);
    }
    // A known month is 1 to 12 and a known day 1 to 31, so some real date matches the parts.
    Ok(BirthDate::Partial {
        year,
        month: (month != 0).then_some(month),
        day: (day != 0).then_some(day),
    })
}

fn digit_value(byte: u8) -> Option<u8> {
    byte.is_ascii_digit().then(|| byte - b'0')
}

fn digit(byte: u8) -> Result<u8, PersonnummerError> {
    digit_value(byte).ok_or(PersonnummerError::InvalidFormat)
}

fn two_digits(tens: u8, ones: u8) -> Result<u8, PersonnummerError> {
    Ok(digit(tens)? * 10 + digit(ones)?)
}

/// Converts a value below 10 to its ASCII digit.
fn ascii_digit(value: u8) -> u8 {
    b'0' + value % 10
}
