//! What the API does, apart from HTTP: each function validates its input, runs its storage
//! work in one transaction and queues the emails the change causes.

pub mod bankid;
pub mod centre;
pub mod certification;
pub mod login;
pub mod password;
pub mod profile;
pub mod registration;
pub mod reset;
pub mod seed;

use chrono::NaiveDate;
use chrono_tz::Europe::Stockholm;
use incert_contract::auth::PreferredLanguage;

use crate::http::error::{ApiError, FieldIssue};
use crate::i18n::Language;
use crate::storage::StorageError;

/// Collects every invalid field of a request before responding, so a form can mark them all.
#[derive(Debug, Default)]
pub struct Validation {
    issues: Vec<FieldIssue>,
}

impl Validation {
    /// Returns the parsed value, or records the failure under `field` and returns None.
    pub fn check<T, E>(
        &mut self,
        field: &str,
        result: Result<T, E>,
        code: impl Fn(&E) -> &'static str,
    ) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(error) => {
                self.issues.push(FieldIssue::new(field, code(&error)));
                None
            }
        }
    }

    pub fn add(&mut self, field: &str, code: &str) {
        self.issues.push(FieldIssue::new(field, code));
    }

    pub fn is_valid(&self) -> bool {
        self.issues.is_empty()
    }

    /// Ends validation: an error naming every invalid field, or nothing.
    pub fn finish(self) -> Result<(), ApiError> {
        if self.issues.is_empty() {
            Ok(())
        } else {
            Err(ApiError::Validation(self.issues))
        }
    }
}

/// Parses an address that mail will be sent to. Addresses whose local part is not ASCII need
/// SMTPUTF8, which many mail servers lack, so they are rejected where they would receive mail.
pub fn deliverable_email(
    validation: &mut Validation,
    field: &str,
    input: &str,
) -> Option<incert_domain::Email> {
    let email = validation.check(field, incert_domain::Email::parse(input), |error| {
        error.code()
    })?;
    if email.requires_smtputf8() {
        validation.add(field, "email_local_part_not_ascii");
        return None;
    }
    Some(email)
}

/// Tells whether a character is an invisible formatting character (zero-width or a
/// bidirectional override), which has no place in a name or an address.
pub fn is_invisible_format(character: char) -> bool {
    matches!(character, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
}

/// Today's date in Sweden, which decides birthdays and the century of personnummer.
pub fn today_in_sweden(now: chrono::DateTime<chrono::Utc>) -> NaiveDate {
    now.with_timezone(&Stockholm).date_naive()
}

pub fn language_of(preferred: PreferredLanguage) -> Language {
    match preferred {
        PreferredLanguage::Sv => Language::Swedish,
        PreferredLanguage::En => Language::English,
    }
}

/// Reads a language stored as its tag; unknown tags fall back to Swedish.
pub fn stored_language(tag: &str) -> Language {
    match tag {
        "en" => Language::English,
        _ => Language::Swedish,
    }
}

/// Builds the subject of a throttle counter for failures tied to an email address: the address
/// together with the client's IP address, hashed so addresses typed by strangers are not
/// stored. Pairing with the IP keeps a stranger's failures from slowing down the owner.
pub fn throttle_subject(email: &incert_domain::Email, ip_address: Option<&str>) -> String {
    use sha2::{Digest, Sha256};

    let mut hasher = Sha256::new();
    hasher.update(email.normalized_key().as_bytes());
    hasher.update(b"\n");
    hasher.update(ip_address.unwrap_or_default().as_bytes());
    hasher
        .finalize()
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

/// Turns a diesel error raised inside a transaction into a storage error.
pub fn storage(error: diesel::result::Error) -> StorageError {
    StorageError::Query(error)
}
