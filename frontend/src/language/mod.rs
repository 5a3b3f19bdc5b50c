//! The language of the app: Swedish unless the person switched to English. The choice is
//! remembered in `localStorage`, sent to the API, and shown in `<html lang>`. The texts are in
//! `locales/sv.json` and `locales/en.json`.

mod bankid;
mod codes;

use incert_contract::auth::PreferredLanguage;
use incert_contract::certification::LocalizedText;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_i18n::Locale as _;

use crate::i18n::Locale;

pub use bankid::BankIdMessage;
pub use codes::{
    api_error_text, application_state_text, certificate_status_text, exam_part_text,
    field_error_text, field_specific_error_text,
};

/// Key in `localStorage` that stores the chosen locale, `sv` or `en`, and nothing else.
pub const STORAGE_KEY: &str = "incert.language";

/// The language state that [`provide_language`] shares through the Leptos context.
pub type I18n = I18nContext<Locale>;

/// Creates the language state with the stored locale, or Swedish when none is stored, and
/// provides it as context. `<html lang>` follows the locale from then on.
///
/// NOTE: leptos_i18n sets the first locale again when its effects first run, after the
/// current task, so a [`switch_language`] before then is undone.
pub fn provide_language() -> I18n {
    let initial = stored_locale().unwrap_or_default();
    // The main context of leptos_i18n 0.6 takes its first locale from the browser's languages,
    // or from a cookie with the "cookie" feature. A subcontext starts with the locale it is
    // given and keeps it when the browser's languages change.
    let i18n = leptos_i18n::context::init_i18n_subcontext(Some(Signal::stored(initial)));
    provide_context(i18n);
    Effect::new(move || set_html_lang(i18n.get_locale()));
    i18n
}

/// Switches to `locale` and remembers it in `localStorage`.
pub fn switch_language(i18n: I18n, locale: Locale) {
    i18n.set_locale(locale);
    // A browser that blocks storage still switches, but the choice is lost on reload.
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(STORAGE_KEY, locale.as_str());
    }
}

/// Returns the other locale, the one the language switch offers.
pub fn other_locale(locale: Locale) -> Locale {
    match locale {
        Locale::sv => Locale::en,
        Locale::en => Locale::sv,
    }
}

/// Returns the language to ask the API for, which sets the language of its messages.
pub fn preferred_language(locale: Locale) -> PreferredLanguage {
    match locale {
        Locale::sv => PreferredLanguage::Sv,
        Locale::en => PreferredLanguage::En,
    }
}

/// Returns the API's text in `locale`, such as the name of a certificate type.
pub fn localized(text: &LocalizedText, locale: Locale) -> String {
    match locale {
        Locale::sv => text.sv.clone(),
        Locale::en => text.en.clone(),
    }
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_locale() -> Option<Locale> {
    let tag = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    tag.parse().ok()
}

fn set_html_lang(locale: Locale) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", locale.as_str());
    }
}
