//! What the API does, apart from HTTP: each function validates its input, runs its storage
//! work in one transaction and queues the emails the change causes.

pub mod login;
pub mod password;
pub mod profile;
pub mod registration;
pub mod reset;

use chrono::NaiveDate;
use chrono_tz::Europe::Stockholm;
use incert_contract::auth::PreferredLanguage;

use crate::http::error::{ApiError, FieldIssue};
use crate::i18n::Language;
use crate::storage::StorageError;

/// Collects every invalid field of a request before answering, so a form can mark them all.
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

/// Turns a diesel error raised inside a transaction into a storage error.
pub fn storage(error: diesel::result::Error) -> StorageError {
    StorageError::Query(error)
}
