//! Names of people as they type them: first name and last name.

use serde::{Deserialize, Serialize};

/// Longest accepted name, in characters.
pub const MAX_NAME_CHARS: usize = 100;

/// Why a name was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum NameError {
    #[error("name is empty")]
    Empty,
    #[error("name is longer than {MAX_NAME_CHARS} characters")]
    TooLong,
    #[error("name contains control characters or no letter")]
    InvalidCharacters,
}

impl NameError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "name_empty",
            Self::TooLong => "name_too_long",
            Self::InvalidCharacters => "name_invalid_characters",
        }
    }
}

/// A first or last name: trimmed, with inner runs of whitespace folded to one space, 1 to 100
/// characters of letters, accents, spaces, hyphens, apostrophes and periods, with at least one
/// letter. Case and diacritics are kept
/// as typed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PersonName(String);

impl PersonName {
    pub fn parse(input: &str) -> Result<Self, NameError> {
        let folded = input.split_whitespace().collect::<Vec<_>>().join(" ");
        if folded.is_empty() {
            return Err(NameError::Empty);
        }
        if folded.chars().count() > MAX_NAME_CHARS {
            return Err(NameError::TooLong);
        }
        if !folded.chars().all(is_name_char) || !folded.chars().any(char::is_alphabetic) {
            return Err(NameError::InvalidCharacters);
        }
        Ok(Self(folded))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Letters of any script, combining accents, spaces, hyphens, apostrophes and periods. Digits,
/// punctuation such as `:` and `/`, and invisible formatting characters are left out, so a
/// name cannot carry a link into the emails that greet the person by name.
fn is_name_char(character: char) -> bool {
    character.is_alphabetic()
        || matches!(character, ' ' | '-' | '\'' | '\u{2019}' | '.')
        || ('\u{0300}'..='\u{036F}').contains(&character)
}

impl TryFrom<String> for PersonName {
    type Error = NameError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<PersonName> for String {
    fn from(name: PersonName) -> Self {
        name.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_trims_and_folds_whitespace() {
        let name = PersonName::parse("  Anna   Lisa\t").map(String::from);
        assert_eq!(name, Ok("Anna Lisa".to_owned()));
    }

    #[test]
    fn parse_keeps_case_and_diacritics() {
        let name = PersonName::parse("Åsa-Märta O'Brien").map(String::from);
        assert_eq!(name, Ok("Åsa-Märta O'Brien".to_owned()));
    }

    #[test]
    fn parse_rejects_each_rule() {
        assert_eq!(PersonName::parse(" \t "), Err(NameError::Empty));
        assert_eq!(PersonName::parse(&"a".repeat(101)), Err(NameError::TooLong));
        assert!(PersonName::parse(&"a".repeat(100)).is_ok());
        assert_eq!(
            PersonName::parse("Anna\u{0}"),
            Err(NameError::InvalidCharacters)
        );
        assert_eq!(
            PersonName::parse("12345"),
            Err(NameError::InvalidCharacters)
        );
    }
}
