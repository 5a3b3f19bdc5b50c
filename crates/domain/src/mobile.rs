//! Phone numbers that a person gives as their mobile number, stored in E.164 form.
//!
//! Input is read with the `phonenumber` crate (libphonenumber metadata) with Sweden as the
//! default region, so `070-123 45 67` and `+46 70 123 45 67` both give `+46701234567`.
//! Numbers of other countries need their country code, written as `+47 …` or `0047 …`.
//!
//! Any valid number is accepted, not only mobile numbers: the user guide's example value is
//! the Swedish landline `08-480 022 00`. [`MobileNumber::is_mobile`] distinguishes mobile
//! numbers for features such as text messages.

use std::fmt;

use phonenumber::{Mode, PhoneNumber, Type};
use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Longer input is rejected before parsing. The longest E.164 number has 15 digits, which
/// leaves room for an international prefix, spaces and punctuation.
const MAX_INPUT_CHARS: usize = 40;

/// The rule that an input failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum MobileNumberError {
    #[error("phone number is empty")]
    Empty,
    #[error("phone number may contain only digits, spaces, hyphens, parentheses and a leading +")]
    InvalidCharacters,
    #[error("phone number is not a valid number; numbers outside Sweden need their country code")]
    Invalid,
}

impl MobileNumberError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "mobile_empty",
            Self::InvalidCharacters => "mobile_invalid_characters",
            Self::Invalid => "mobile_invalid",
        }
    }
}

/// A valid phone number in E.164 form, such as `+46701234567`.
///
/// Serde writes the E.164 form and validates with [`MobileNumber::parse`] when reading.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MobileNumber {
    e164: String,
    international: String,
    national: String,
    country_calling_code: u16,
    is_mobile: bool,
}

impl MobileNumber {
    /// Parses a phone number after trimming surrounding whitespace.
    ///
    /// Letters are rejected before parsing, because the `phonenumber` crate would read them
    /// as keypad digits (`0800-FLOWERS`). Allowed are ASCII digits, spaces, hyphens,
    /// parentheses, and `+` as the first character.
    pub fn parse(input: &str) -> Result<Self, MobileNumberError> {
        let parsed = Self::parse_once(input)?;

        // The stored E.164 form must parse back to itself, and the value returned is the one
        // parsed from it, so parsing a stored number always gives the same value.
        // phonenumber 0.3.10 drops leading zeros of some Italian numbers (`+39 00060000`
        // becomes `+39060000`, which then becomes `+3960000`), so such numbers are rejected
        // rather than stored in a form that reads back as another number.
        match Self::parse_once(&parsed.e164) {
            Ok(again) if again.e164 == parsed.e164 => Ok(again),
            _ => Err(MobileNumberError::Invalid),
        }
    }

    fn parse_once(input: &str) -> Result<Self, MobileNumberError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MobileNumberError::Empty);
        }
        let without_plus = trimmed.strip_prefix('+').unwrap_or(trimmed);
        if !without_plus.chars().all(is_allowed_char) {
            return Err(MobileNumberError::InvalidCharacters);
        }
        if trimmed.chars().count() > MAX_INPUT_CHARS {
            return Err(MobileNumberError::Invalid);
        }
        if !without_plus.chars().any(|c| c.is_ascii_digit()) {
            return Err(MobileNumberError::Invalid);
        }

        let number = phonenumber::parse(Some(phonenumber::country::Id::SE), trimmed)
            .map_err(|_| MobileNumberError::Invalid)?;
        if number.extension().is_some() || !phonenumber::is_valid(&number) {
            return Err(MobileNumberError::Invalid);
        }
        Ok(Self::from_valid(&number))
    }

    fn from_valid(number: &PhoneNumber) -> Self {
        let number_type = number.number_type(&phonenumber::metadata::DATABASE);
        Self {
            e164: number.format().mode(Mode::E164).to_string(),
            international: number.format().mode(Mode::International).to_string(),
            national: number.format().mode(Mode::National).to_string(),
            country_calling_code: number.code().value(),
            is_mobile: matches!(number_type, Type::Mobile | Type::FixedLineOrMobile),
        }
    }

    /// Returns the E.164 form, such as `+46701234567`, for storage and for sending.
    pub fn as_e164(&self) -> &str {
        &self.e164
    }

    /// Returns the international display form, such as `+46 70 123 45 67`.
    pub fn format_international(&self) -> &str {
        &self.international
    }

    /// Returns the national display form, such as `070-123 45 67`.
    pub fn format_national(&self) -> &str {
        &self.national
    }

    /// Returns the country calling code, such as 46 for Sweden.
    pub fn country_calling_code(&self) -> u16 {
        self.country_calling_code
    }

    /// Returns whether the number can be a mobile number by its metadata. Numbers where the
    /// metadata cannot tell mobile and fixed lines apart, as in the USA, count as mobile.
    pub fn is_mobile(&self) -> bool {
        self.is_mobile
    }

    /// Returns a form that is safe to log: the country calling code and the last two digits,
    /// as in `+46*******67`.
    pub fn masked(&self) -> String {
        let code = self.country_calling_code.to_string();
        let subscriber = self
            .e164
            .strip_prefix('+')
            .and_then(|digits| digits.strip_prefix(code.as_str()))
            .unwrap_or_default();
        let visible_from = subscriber.len().saturating_sub(2);
        let visible = subscriber.get(visible_from..).unwrap_or_default();
        format!("+{code}{}{visible}", "*".repeat(visible_from))
    }
}

impl fmt::Debug for MobileNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("MobileNumber").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for MobileNumber {
    type Error = MobileNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl TryFrom<&str> for MobileNumber {
    type Error = MobileNumberError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<MobileNumber> for String {
    fn from(value: MobileNumber) -> Self {
        value.e164
    }
}

fn is_allowed_char(c: char) -> bool {
    c.is_ascii_digit() || matches!(c, ' ' | '-' | '(' | ')')
}
