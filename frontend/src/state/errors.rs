//! API errors of a form, translated into the current language and placed next to the field
//! they concern.

use incert_client::{ClientError, ErrorCode, FieldError};
use leptos::prelude::*;

use crate::i18n::{Locale, td_string};
use crate::language::{I18n, api_error_text, field_error_text, field_specific_error_text};

/// The error of a form's last request.
///
/// A field error of a `validation_failed` problem is shown next to the input with the same
/// name. Some codes that are not field errors also concern one input, such as a wrong login
/// code; `field_for_code` names that input. Everything else goes to the form's banner.
#[derive(Debug, Clone, Copy)]
pub struct FormErrors {
    error: RwSignal<Option<ClientError>>,
    fields: &'static [&'static str],
    field_for_code: fn(ErrorCode) -> Option<&'static str>,
    i18n: I18n,
}

impl FormErrors {
    /// Creates the error state of a form whose inputs have the API names `fields`.
    pub fn new(
        i18n: I18n,
        fields: &'static [&'static str],
        field_for_code: fn(ErrorCode) -> Option<&'static str>,
    ) -> Self {
        Self {
            error: RwSignal::new(None),
            fields,
            field_for_code,
            i18n,
        }
    }

    /// Creates the error state of a form or button that shows errors only in its banner.
    pub fn banner_only(i18n: I18n) -> Self {
        Self::new(i18n, &[], |_| None)
    }

    pub fn set(&self, error: ClientError) {
        self.error.set(Some(error));
    }

    pub fn clear(&self) {
        self.error.set(None);
    }

    /// Stores the error of `result`, or clears the previous one on success.
    pub fn record<T>(&self, result: Result<T, ClientError>) -> Option<T> {
        match result {
            Ok(value) => {
                self.clear();
                Some(value)
            }
            Err(error) => {
                self.set(error);
                None
            }
        }
    }

    /// Returns the message for the input `field` in the current language, if it has one.
    pub fn field(&self, field: &'static str) -> Option<String> {
        let locale = self.i18n.get_locale();
        self.error.with(|error| {
            let error = error.as_ref()?;
            if let Some(code) = error.code()
                && (self.field_for_code)(code) == Some(field)
            {
                return Some(code_message(locale, error));
            }
            error
                .field_errors()
                .iter()
                .find(|issue| issue.field == field)
                .map(|issue| issue_message(locale, issue))
        })
    }

    /// Returns the message for the banner: every part of the error that no input shows.
    pub fn banner(&self) -> Option<String> {
        let locale = self.i18n.get_locale();
        self.error.with(|error| {
            let error = error.as_ref()?;
            if let Some(code) = error.code()
                && (self.field_for_code)(code).is_some_and(|field| self.fields.contains(&field))
            {
                return None;
            }
            let issues = error.field_errors();
            if issues.is_empty() {
                return Some(code_message(locale, error));
            }
            let unplaced: Vec<String> = issues
                .iter()
                .filter(|issue| !self.fields.contains(&issue.field.as_str()))
                .map(|issue| issue_message(locale, issue))
                .collect();
            if unplaced.is_empty() {
                Some(td_string!(locale, check_marked_fields).to_owned())
            } else {
                Some(unplaced.join(" "))
            }
        })
    }

    /// Returns whether the same request may succeed when sent again: the server was not
    /// reached, or failed on its side.
    pub fn retryable(&self) -> bool {
        self.error
            .with(|error| error.as_ref().is_some_and(is_retryable))
    }
}

/// Returns whether an error is a network failure or a server-side failure.
pub fn is_retryable(error: &ClientError) -> bool {
    match error {
        ClientError::Transport(_) => true,
        other => other.status().is_some_and(|status| status >= 500),
    }
}

/// Returns the text for an error as a whole in `locale`: the translation of its code.
///
/// The one exception is a code that this version of the app does not know, sent by a newer
/// server. Its `detail` is then more specific than a general text, although it stays in the
/// language of the request when the person switches language.
pub fn code_message(locale: Locale, error: &ClientError) -> String {
    match error {
        ClientError::Transport(_) => td_string!(locale, network_error).to_owned(),
        ClientError::Api { problem, .. } => match problem.code {
            ErrorCode::Unknown => problem
                .detail
                .clone()
                .unwrap_or_else(|| api_error_text(locale, ErrorCode::Unknown).to_owned()),
            code => api_error_text(locale, code).to_owned(),
        },
        // An unreadable response, such as a proxy's error page.
        _ => td_string!(locale, server_error).to_owned(),
    }
}

/// Returns the text for one invalid field: the field's own text for its code, else the
/// translation of the code, else the server's localized text.
fn issue_message(locale: Locale, issue: &FieldError) -> String {
    field_specific_error_text(locale, &issue.field, &issue.code)
        .or_else(|| field_error_text(locale, &issue.code))
        .map(str::to_owned)
        .unwrap_or_else(|| issue.message.clone())
}
