//! The two languages of the app, the current choice and where it is remembered.
//!
//! Texts are a typed table in Rust, one file per language, instead of leptos_i18n. The table
//! needs no build-time code generation. leptos_i18n 0.6 depends on ICU data and leptos-use,
//! which would make every cold build several minutes longer on a two-core machine.

mod en;
mod sv;
mod texts;

use incert_contract::auth::PreferredLanguage;
use leptos::prelude::*;

pub use texts::Texts;

/// Key in `localStorage` that stores the chosen language, and nothing else.
const STORAGE_KEY: &str = "incert.language";

/// A language of the user interface.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Language {
    Swedish,
    English,
}

impl Language {
    /// Returns the texts in this language.
    pub fn texts(self) -> &'static Texts {
        match self {
            Self::Swedish => &sv::TEXTS,
            Self::English => &en::TEXTS,
        }
    }

    /// Returns the language to ask the API for, which sets the language of its messages.
    pub fn preferred(self) -> PreferredLanguage {
        match self {
            Self::Swedish => PreferredLanguage::Sv,
            Self::English => PreferredLanguage::En,
        }
    }

    /// Returns the other language, the one the switch offers.
    pub fn other(self) -> Self {
        match self {
            Self::Swedish => Self::English,
            Self::English => Self::Swedish,
        }
    }

    fn from_tag(tag: &str) -> Option<Self> {
        match tag {
            "sv" => Some(Self::Swedish),
            "en" => Some(Self::English),
            _ => None,
        }
    }
}

/// The current language, shared through the Leptos context.
#[derive(Debug, Clone, Copy)]
pub struct I18n {
    pub language: RwSignal<Language>,
}

impl I18n {
    /// Returns the texts of the current language and subscribes the caller to changes.
    pub fn t(&self) -> &'static Texts {
        self.language.get().texts()
    }

    /// Switches the language, remembers it in `localStorage` and updates `<html lang>`.
    pub fn switch(&self, language: Language) {
        self.language.set(language);
        remember(language);
    }
}

/// Creates the language state from `localStorage` (Swedish when nothing is stored) and
/// provides it as context.
pub fn provide_i18n() -> I18n {
    let language = stored_language().unwrap_or(Language::Swedish);
    set_html_lang(language);
    let i18n = I18n {
        language: RwSignal::new(language),
    };
    provide_context(i18n);
    i18n
}

/// Returns the language state provided by [`provide_i18n`].
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_language() -> Option<Language> {
    let tag = local_storage()?.get_item(STORAGE_KEY).ok().flatten()?;
    Language::from_tag(&tag)
}

fn remember(language: Language) {
    // A browser that blocks storage still switches; the choice is then lost on reload.
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(STORAGE_KEY, language.texts().html_lang);
    }
    set_html_lang(language);
}

fn set_html_lang(language: Language) {
    let root = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.document_element());
    if let Some(root) = root {
        let _ = root.set_attribute("lang", language.texts().html_lang);
    }
}
