//! Email addresses, which are also the login username.
//!
//! The local part is kept exactly as typed: case, dots and `+` tags are preserved, because
//! some mail servers treat them as significant. The domain is converted with UTS 46 (the
//! `idna` crate), which lower-cases it and checks internationalised domain names. It is
//! stored in Unicode for display and in ASCII (punycode) for SMTP.
//!
//! An address is personal data, so [`Email`] implements no `Display` and its `Debug` output
//! is the masked form from [`Email::masked`].

use std::fmt;

use serde::{Deserialize, Serialize};

#[cfg(test)]
mod tests;

/// Maximum length of a whole address in bytes, with the domain in ASCII. SMTP's path limit
/// of 256 octets (RFC 5321) includes the angle brackets.
const MAX_ADDRESS_BYTES: usize = 254;

/// Maximum length of the local part in bytes (RFC 5321).
const MAX_LOCAL_PART_BYTES: usize = 64;

/// Inputs longer than this are rejected before the domain conversion. The limit is above
/// [`MAX_ADDRESS_BYTES`] because a Unicode domain can take more bytes in UTF-8 than in
/// punycode.
const MAX_INPUT_BYTES: usize = 1024;

/// The rule that an input failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, thiserror::Error)]
pub enum EmailError {
    #[error("email address is empty")]
    Empty,
    #[error("email address is longer than 254 bytes, counting the domain in ASCII form")]
    TooLong,
    #[error("the part before @ in the email address is longer than 64 bytes")]
    LocalPartTooLong,
    #[error("email address contains a control character")]
    ControlCharacter,
    #[error("email address contains whitespace")]
    Whitespace,
    #[error("email address has no @")]
    MissingAt,
    #[error("email address has more than one @")]
    MultipleAt,
    #[error("email address has nothing before @")]
    EmptyLocalPart,
    #[error("email address has nothing after @")]
    EmptyDomain,
    #[error("email address contains two dots in a row")]
    ConsecutiveDots,
    #[error("the part before @ in the email address contains an invalid character or dot")]
    InvalidLocalPart,
    #[error("the domain of the email address is invalid")]
    InvalidDomain,
    #[error("the domain of the email address has no dot")]
    DomainMissingDot,
}

impl EmailError {
    /// Returns the stable machine code of the failed rule.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "email_empty",
            Self::TooLong => "email_too_long",
            Self::LocalPartTooLong => "email_local_part_too_long",
            Self::ControlCharacter => "email_control_character",
            Self::Whitespace => "email_whitespace",
            Self::MissingAt => "email_missing_at",
            Self::MultipleAt => "email_multiple_at",
            Self::EmptyLocalPart => "email_empty_local_part",
            Self::EmptyDomain => "email_empty_domain",
            Self::ConsecutiveDots => "email_consecutive_dots",
            Self::InvalidLocalPart => "email_invalid_local_part",
            Self::InvalidDomain => "email_invalid_domain",
            Self::DomainMissingDot => "email_domain_missing_dot",
        }
    }
}

/// A validated email address.
///
/// Two addresses are equal when they are written the same; use [`Email::normalized_key`] to
/// decide whether two addresses belong to the same account. Serde writes [`Email::as_str`] and
/// validates with [`Email::parse`] when reading.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email {
    /// `local@domain` with the domain in lower-case Unicode.
    address: String,
    /// Byte index of the `@` in `address`.
    at: usize,
    /// The domain in ASCII, with labels in punycode where needed.
    ascii_domain: String,
}

impl Email {
    /// Parses an address after trimming surrounding whitespace.
    ///
    /// Quoted local parts (`"a b"@example.se`), comments and IP address literals are
    /// rejected. The local part may contain ASCII letters, digits, ``!#$%&'*+-/=?^_`{|}~``,
    /// inner single dots and non-ASCII letters and digits.
    pub fn parse(input: &str) -> Result<Self, EmailError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(EmailError::Empty);
        }
        if trimmed.len() > MAX_INPUT_BYTES {
            return Err(EmailError::TooLong);
        }
        if trimmed.chars().any(char::is_control) {
            return Err(EmailError::ControlCharacter);
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(EmailError::Whitespace);
        }

        let Some((local, domain)) = trimmed.split_once('@') else {
            return Err(EmailError::MissingAt);
        };
        if domain.contains('@') {
            return Err(EmailError::MultipleAt);
        }
        if local.is_empty() {
            return Err(EmailError::EmptyLocalPart);
        }
        if domain.is_empty() {
            return Err(EmailError::EmptyDomain);
        }
        if local.contains("..") || domain.contains("..") {
            return Err(EmailError::ConsecutiveDots);
        }

        validate_local_part(local)?;
        let (unicode_domain, ascii_domain) = convert_domain(domain)?;
        if local.len() + 1 + ascii_domain.len() > MAX_ADDRESS_BYTES {
            return Err(EmailError::TooLong);
        }

        Ok(Self {
            address: format!("{local}@{unicode_domain}"),
            at: local.len(),
            ascii_domain,
        })
    }

    /// Returns the address as stored: the local part as typed and the domain in lower-case
    /// Unicode.
    pub fn as_str(&self) -> &str {
        &self.address
    }

    /// Returns the part before `@`, as typed.
    pub fn local_part(&self) -> &str {
        self.address.get(..self.at).unwrap_or_default()
    }

    /// Returns the domain in lower-case Unicode, for display.
    pub fn domain(&self) -> &str {
        self.address.get(self.at + 1..).unwrap_or_default()
    }

    /// Returns the domain in ASCII, with internationalised labels in punycode.
    pub fn ascii_domain(&self) -> &str {
        &self.ascii_domain
    }

    /// Returns the address with the domain in ASCII, for SMTP.
    pub fn to_ascii(&self) -> String {
        format!("{}@{}", self.local_part(), self.ascii_domain)
    }

    /// Returns whether sending to this address needs the SMTPUTF8 extension (RFC 6531),
    /// which is the case when the local part contains non-ASCII characters.
    pub fn requires_smtputf8(&self) -> bool {
        !self.local_part().is_ascii()
    }

    /// Returns the key that identifies an account: the whole address in Unicode lower case.
    ///
    /// `Anna.Svensson@Example.SE` and `anna.svensson@example.se` give the same key. Dots and
    /// `+` tags are kept, so `anna.svensson+kurs@example.se` is a different account.
    pub fn normalized_key(&self) -> String {
        format!("{}@{}", self.local_part().to_lowercase(), self.domain())
    }

    /// Returns a form that is safe to log: the first character of the local part, `***`, and
    /// the domain, as in `a***@example.se`.
    pub fn masked(&self) -> String {
        let first = self.local_part().chars().next().unwrap_or('*');
        format!("{first}***@{}", self.domain())
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Email").field(&self.masked()).finish()
    }
}

impl TryFrom<String> for Email {
    type Error = EmailError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl TryFrom<&str> for Email {
    type Error = EmailError;

    fn try_from(value: &str) -> Result<Self, Self::Error> {
        Self::parse(value)
    }
}

impl From<Email> for String {
    fn from(value: Email) -> Self {
        value.address
    }
}

/// Checks the characters and dots of a local part that has no `..` and is not empty.
fn validate_local_part(local: &str) -> Result<(), EmailError> {
    if local.len() > MAX_LOCAL_PART_BYTES {
        return Err(EmailError::LocalPartTooLong);
    }
    if local.starts_with('.') || local.ends_with('.') {
        return Err(EmailError::InvalidLocalPart);
    }
    if !local.chars().all(is_local_part_char) {
        return Err(EmailError::InvalidLocalPart);
    }
    Ok(())
}

/// Returns whether `c` may appear in an unquoted local part: RFC 5322 `atext`, the dot, and
/// non-ASCII letters and digits as RFC 6531 allows.
fn is_local_part_char(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric() || "!#$%&'*+-/=?^_`{|}~.".contains(c)
    } else {
        c.is_alphanumeric()
    }
}

/// Converts a domain with UTS 46 and checks it, returning the Unicode and ASCII forms.
fn convert_domain(domain: &str) -> Result<(String, String), EmailError> {
    // Strict mode rejects characters outside letters, digits and hyphens (STD3 rules),
    // labels that start or end with a hyphen, empty labels, a trailing dot and labels or
    // names longer than DNS allows.
    let ascii = idna::domain_to_ascii_strict(domain).map_err(|_| EmailError::InvalidDomain)?;

    let Some((_, top_level)) = ascii.rsplit_once('.') else {
        return Err(EmailError::DomainMissingDot);
    };
    // A numeric top-level label means an IP address, which is not a mail domain here.
    if top_level.bytes().all(|byte| byte.is_ascii_digit()) {
        return Err(EmailError::InvalidDomain);
    }

    let (unicode, result) = idna::domain_to_unicode(&ascii);
    result.map_err(|_| EmailError::InvalidDomain)?;
    Ok((unicode, ascii))
}
