//! Swedish organisation numbers (organisationsnummer) and postal codes.

use serde::{Deserialize, Serialize};

/// Why an organisation number was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum OrganisationNumberError {
    #[error(
        "organisation number must be 10 digits, optionally as NNNNNN-NNNN or with the prefix 16"
    )]
    InvalidFormat,
    #[error("organisation number check digit does not match")]
    InvalidChecksum,
}

impl OrganisationNumberError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidFormat => "organisation_number_invalid_format",
            Self::InvalidChecksum => "organisation_number_invalid_checksum",
        }
    }
}

/// A Swedish organisation number, stored as `NNNNNN-NNNN`. Accepts `NNNNNNNNNN`,
/// `NNNNNN-NNNN` and the 12-digit form with the prefix `16`. The last digit is a Luhn check
/// digit over the other nine.
///
/// NOTE: sole traders use their personnummer as organisation number; such numbers pass the
/// same check and are accepted as they are.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrganisationNumber(String);

impl OrganisationNumber {
    pub fn parse(input: &str) -> Result<Self, OrganisationNumberError> {
        let compact: String = input
            .trim()
            .chars()
            .filter(|character| *character != '-')
            .collect();
        let hyphens = input.trim().matches('-').count();
        let digits = match compact.len() {
            12 if compact.starts_with("16") => compact.get(2..).unwrap_or_default().to_owned(),
            10 => compact,
            _ => return Err(OrganisationNumberError::InvalidFormat),
        };
        if hyphens > 1 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
            return Err(OrganisationNumberError::InvalidFormat);
        }
        if !luhn_valid(&digits) {
            return Err(OrganisationNumberError::InvalidChecksum);
        }
        let (head, tail) = digits.split_at(6);
        Ok(Self(format!("{head}-{tail}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Checks the last of ten ASCII digits against the Luhn check digit of the other nine.
fn luhn_valid(digits: &str) -> bool {
    let values: Vec<u8> = digits
        .bytes()
        .map(|byte| byte.saturating_sub(b'0'))
        .collect();
    match values.split_last() {
        Some((last, rest)) => crate::luhn::check_digit(rest.iter().copied()) == *last,
        None => false,
    }
}

impl TryFrom<String> for OrganisationNumber {
    type Error = OrganisationNumberError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<OrganisationNumber> for String {
    fn from(number: OrganisationNumber) -> Self {
        number.0
    }
}

/// Why a postal code was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PostalCodeError {
    #[error("a Swedish postal code is five digits, such as 111 22")]
    InvalidSwedish,
    #[error("postal code must be 1 to 12 letters, digits, spaces or hyphens")]
    Invalid,
}

impl PostalCodeError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidSwedish => "postal_code_invalid_swedish",
            Self::Invalid => "postal_code_invalid",
        }
    }
}

/// A postal code. Swedish ones (country `SE`) are five digits, stored as `NNN NN`; others
/// are kept as typed after trimming.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PostalCode(String);

impl PostalCode {
    /// Parses a postal code of the country with the given ISO 3166-1 alpha-2 code.
    pub fn parse(input: &str, country: &str) -> Result<Self, PostalCodeError> {
        let trimmed = input.trim();
        if country.eq_ignore_ascii_case("SE") {
            let digits: String = trimmed
                .chars()
                .filter(|character| *character != ' ')
                .collect();
            if digits.len() != 5 || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
                return Err(PostalCodeError::InvalidSwedish);
            }
            let (head, tail) = digits.split_at(3);
            return Ok(Self(format!("{head} {tail}")));
        }
        let valid_characters = trimmed
            .chars()
            .all(|character| character.is_alphanumeric() || character == ' ' || character == '-');
        if trimmed.is_empty() || trimmed.chars().count() > 12 || !valid_characters {
            return Err(PostalCodeError::Invalid);
        }
        Ok(Self(trimmed.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn organisation_number_accepts_each_form() {
        // Volvo Personvagnar AB, a public example.
        for input in ["556074-3089", "5560743089", "165560743089", " 556074-3089 "] {
            let parsed = OrganisationNumber::parse(input).map(String::from);
            assert_eq!(parsed, Ok("556074-3089".to_owned()), "{input}");
        }
    }

    #[test]
    fn organisation_number_rejects_each_rule() {
        assert_eq!(
            OrganisationNumber::parse("556074-3088"),
            Err(OrganisationNumberError::InvalidChecksum)
        );
        assert_eq!(
            OrganisationNumber::parse("556074-308"),
            Err(OrganisationNumberError::InvalidFormat)
        );
        assert_eq!(
            OrganisationNumber::parse("55607A-3089"),
            Err(OrganisationNumberError::InvalidFormat)
        );
        assert_eq!(
            OrganisationNumber::parse("5560-74-3089"),
            Err(OrganisationNumberError::InvalidFormat)
        );
        assert_eq!(
            OrganisationNumber::parse("125560743089"),
            Err(OrganisationNumberError::InvalidFormat)
        );
    }

    #[test]
    fn swedish_postal_code_is_normalised() {
        for input in ["11122", "111 22", " 111  22 "] {
            assert_eq!(
                PostalCode::parse(input, "SE").map(|code| code.0),
                Ok("111 22".to_owned()),
                "{input}"
            );
        }
        assert_eq!(
            PostalCode::parse("1112", "SE"),
            Err(PostalCodeError::InvalidSwedish)
        );
        assert_eq!(
            PostalCode::parse("SW1A 1AA", "GB").map(|code| code.0),
            Ok("SW1A 1AA".to_owned())
        );
        assert_eq!(PostalCode::parse("", "GB"), Err(PostalCodeError::Invalid));
        assert_eq!(
            PostalCode::parse("12345/6", "DE"),
            Err(PostalCodeError::Invalid)
        );
    }
}
