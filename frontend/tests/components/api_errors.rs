//! The texts of the API's error codes: every code of the contract has one in each locale, and
//! the app shows it in place of the server's text, in the language chosen now.

use std::collections::BTreeMap;

use incert_client::{ClientError, ErrorCode, Problem};
use leptos::prelude::*;
use serde_json::Value;
use utoipa::PartialSchema;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::components::ErrorBanner;
use incert_web::i18n::Locale;
use incert_web::language::{api_error_text, provide_language, switch_language};
use incert_web::state::errors::{FormErrors, code_message};

use crate::locales::{ENGLISH, SWEDISH, texts};
use crate::support::{mount, set_stored_language, wait_for_language_effects, wait_until};

/// A server text that no locale file contains, to tell it apart from the app's texts.
const SERVER_DETAIL: &str = "Serverns förklaring på svenska.";

/// Returns the wire name of every `ErrorCode`, read from the contract's OpenAPI schema of the
/// enum, which its derive macro builds from the variants.
fn contract_codes() -> Vec<String> {
    let schema = serde_json::to_value(ErrorCode::schema()).expect("the schema as JSON");
    let names = schema["enum"].as_array().expect("an enum schema");
    names
        .iter()
        .map(|name| name.as_str().expect("a string value").to_owned())
        .collect()
}

/// Returns the text with the key `key`, with a text that is only a `$t(other_key)` reference
/// replaced by the text it refers to.
fn resolved(texts: &BTreeMap<String, String>, key: &str) -> Option<String> {
    let text = texts.get(key)?;
    match text
        .strip_prefix("$t(")
        .and_then(|rest| rest.strip_suffix(')'))
    {
        Some(reference) => texts.get(reference).cloned(),
        None => Some(text.clone()),
    }
}

fn problem_error(code: ErrorCode, detail: Option<&str>) -> ClientError {
    ClientError::Api {
        status: 409,
        problem: Box::new(Problem {
            problem_type: "about:blank".to_owned(),
            title: "Serverns rubrik".to_owned(),
            status: 409,
            detail: detail.map(str::to_owned),
            code,
            request_id: None,
            errors: Vec::new(),
        }),
        retry_after: None,
    }
}

#[wasm_bindgen_test]
fn every_error_code_has_locale_texts() {
    let codes = contract_codes();
    assert!(codes.len() > 30, "only {} codes in the schema", codes.len());
    assert!(codes.iter().any(|code| code == "certificate_already_held"));
    assert!(codes.iter().any(|code| code == "unknown"));

    for (name, file) in [("Swedish", SWEDISH), ("English", ENGLISH)] {
        let texts = texts(file);
        let missing: Vec<&String> = codes
            .iter()
            .filter(|code| !texts.contains_key(&format!("api_error.{code}")))
            .collect();
        assert!(
            missing.is_empty(),
            "no {name} text for the codes {missing:?}"
        );
    }
}

#[wasm_bindgen_test]
fn app_shows_locale_text_for_every_code() {
    let locales = [(Locale::sv, texts(SWEDISH)), (Locale::en, texts(ENGLISH))];
    for name in contract_codes() {
        let code: ErrorCode =
            serde_json::from_value(Value::from(name.as_str())).expect("a known code");
        let error = problem_error(code, Some(SERVER_DETAIL));
        for (locale, texts) in &locales {
            let key = format!("api_error.{name}");
            let expected = resolved(texts, &key).unwrap_or_else(|| panic!("no text for {key}"));
            assert_eq!(
                api_error_text(*locale, code),
                expected,
                "{key} in {locale:?}"
            );

            let message = code_message(*locale, &error);
            if code == ErrorCode::Unknown {
                // The app cannot translate a code it does not know, so the server's text wins.
                assert_eq!(message, SERVER_DETAIL);
            } else {
                assert_eq!(message, expected, "{key} in {locale:?}");
            }
        }
    }
}

#[wasm_bindgen_test]
fn unknown_code_without_detail_gets_locale_text() {
    let error = problem_error(ErrorCode::Unknown, None);
    assert_eq!(
        code_message(Locale::sv, &error),
        "Åtgärden kunde inte genomföras. Försök igen om en stund."
    );
    assert_eq!(
        code_message(Locale::en, &error),
        "The action could not be completed. Try again in a moment."
    );
}

#[wasm_bindgen_test]
async fn shown_api_error_follows_language_switch() {
    set_stored_language(None);
    let state = RwSignal::new(None);
    let mounted = mount(move || {
        let i18n = provide_language();
        let errors = FormErrors::banner_only(i18n);
        errors.set(problem_error(
            ErrorCode::CertificateAlreadyHeld,
            Some(SERVER_DETAIL),
        ));
        state.set(Some(i18n));
        view! { <ErrorBanner errors=errors/> }
    });
    let i18n = state.get_untracked().expect("the component ran");

    assert_eq!(
        mounted.text(".banner p"),
        "Du har redan ett giltigt certifikat av den här typen. Ansök om omcertifiering av det i stället."
    );

    wait_for_language_effects().await;
    switch_language(i18n, Locale::en);
    wait_until("the error is in English", || {
        mounted.text(".banner p")
            == "You already hold a valid certificate of this type. Apply for its recertification instead."
    })
    .await;

    switch_language(i18n, Locale::sv);
    wait_until("the error is in Swedish again", || {
        mounted
            .text(".banner p")
            .starts_with("Du har redan ett giltigt certifikat")
    })
    .await;
    set_stored_language(None);
}
