//! The text field and the error banner: API errors placed at their input, in the current
//! language.

use std::cell::Cell;
use std::rc::Rc;

use incert_client::ClientError;
use incert_client::contract::{ErrorCode, FieldError, Problem};
use leptos::prelude::*;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::components::{ErrorBanner, TextField};
use incert_web::i18n::{Locale, t};
use incert_web::language::{I18n, provide_language, switch_language};
use incert_web::state::errors::FormErrors;

use crate::support::{mount, set_stored_language, wait_for_language_effects, wait_until};

/// Returns a `validation_failed` error as the API sends it, with one invalid field.
fn validation_error(field: &str, code: &str, server_message: &str) -> ClientError {
    ClientError::Api {
        status: 422,
        problem: Box::new(Problem {
            problem_type: "about:blank".to_owned(),
            title: "Ogiltiga uppgifter".to_owned(),
            status: 422,
            detail: None,
            code: ErrorCode::ValidationFailed,
            request_id: None,
            errors: vec![FieldError {
                field: field.to_owned(),
                code: code.to_owned(),
                message: server_message.to_owned(),
            }],
        }),
        retry_after: None,
    }
}

#[wasm_bindgen_test]
async fn text_field_ties_api_error_to_input() {
    set_stored_language(None);
    let state = Rc::new(Cell::new(None::<(I18n, FormErrors)>));
    let slot = Rc::clone(&state);
    let mounted = mount(move || {
        let i18n = provide_language();
        let errors = FormErrors::new(i18n, &["email"], |_| None);
        slot.set(Some((i18n, errors)));
        view! {
            <TextField
                id="test-email"
                name="email"
                label=t!(i18n, email_label)
                hint=t!(i18n, email_hint)
                value=RwSignal::new(String::new())
                errors=errors
                input_type="email"
                required=true
            />
        }
    });
    let (i18n, errors) = state.get().expect("the component ran");
    let input = mounted.find("input#test-email");

    assert_eq!(mounted.text("label[for=test-email]").trim(), "E-post *");
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("test-email-hint")
    );
    assert_eq!(mounted.text("#test-email-hint"), "Ange din e-post");
    assert!(mounted.try_find("#test-email-error").is_none());

    errors.set(validation_error("email", "email_missing_at", "Server text"));
    wait_until("the input is marked invalid", || {
        input.get_attribute("aria-invalid").as_deref() == Some("true")
    })
    .await;
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("test-email-hint test-email-error")
    );
    let message = mounted.find("#test-email-error");
    assert_eq!(
        message.text_content().as_deref(),
        Some("E-postadressen saknar @.")
    );
    assert!(
        mounted
            .find(".field")
            .class_list()
            .contains("field-invalid")
    );

    wait_for_language_effects().await;
    switch_language(i18n, Locale::en);
    wait_until("the error is in English", || {
        message.text_content().as_deref() == Some("The email address lacks an @.")
    })
    .await;
    assert_eq!(mounted.text("label[for=test-email]").trim(), "Email *");
    assert_eq!(mounted.text("#test-email-hint"), "Enter your email address");

    errors.set(validation_error(
        "email",
        "code_the_app_lacks",
        "Text from the server.",
    ));
    wait_until("the server's text is shown", || {
        mounted
            .try_find("#test-email-error")
            .and_then(|error| error.text_content())
            == Some("Text from the server.".to_owned())
    })
    .await;

    errors.clear();
    wait_until("the error is gone", || {
        mounted.try_find("#test-email-error").is_none()
    })
    .await;
    assert_eq!(input.get_attribute("aria-invalid"), None);
    assert_eq!(
        input.get_attribute("aria-describedby").as_deref(),
        Some("test-email-hint")
    );
}

#[wasm_bindgen_test]
async fn text_field_ignores_other_fields_errors() {
    set_stored_language(None);
    let state = Rc::new(Cell::new(None::<FormErrors>));
    let slot = Rc::clone(&state);
    let mounted = mount(move || {
        let i18n = provide_language();
        let errors = FormErrors::new(i18n, &["email", "first_name"], |_| None);
        slot.set(Some(errors));
        view! {
            <TextField
                id="test-email"
                name="email"
                label=t!(i18n, email_label)
                value=RwSignal::new(String::new())
                errors=errors
            />
            <TextField
                id="test-first-name"
                name="first_name"
                label=t!(i18n, first_name_label)
                value=RwSignal::new(String::new())
                errors=errors
            />
            <ErrorBanner errors=errors/>
        }
    });
    let errors = state.get().expect("the component ran");

    errors.set(validation_error("first_name", "name_empty", "Server text"));
    wait_until("the first name is marked invalid", || {
        mounted.try_find("#test-first-name-error").is_some()
    })
    .await;
    assert_eq!(mounted.text("#test-first-name-error"), "Ange ett namn.");
    let email = mounted.find("input#test-email");
    assert_eq!(email.get_attribute("aria-invalid"), None);
    assert_eq!(email.get_attribute("aria-describedby"), None);
    assert_eq!(
        mounted.text(".banner-error"),
        "Rätta de markerade fälten och försök igen."
    );
}

#[wasm_bindgen_test]
async fn error_banner_offers_retry_after_network_failure() {
    set_stored_language(None);
    let state = Rc::new(Cell::new(None::<(I18n, FormErrors)>));
    let slot = Rc::clone(&state);
    let retries = RwSignal::new(0);
    let mounted = mount(move || {
        let i18n = provide_language();
        let errors = FormErrors::banner_only(i18n);
        slot.set(Some((i18n, errors)));
        let retry = Callback::new(move |()| retries.update(|count| *count += 1));
        view! { <ErrorBanner errors=errors on_retry=retry/> }
    });
    let (i18n, errors) = state.get().expect("the component ran");
    assert!(mounted.try_find(".banner-error").is_none());

    errors.set(ClientError::Transport("connection refused".to_owned()));
    wait_until("the banner shows", || {
        mounted.try_find(".banner-error").is_some()
    })
    .await;
    assert_eq!(
        mounted.text(".banner-error p"),
        "Det gick inte att nå IncertOnline. Kontrollera internetanslutningen och försök igen."
    );
    assert_eq!(mounted.text(".banner-error button"), "Försök igen");
    mounted.click(".banner-error button");
    assert_eq!(retries.get_untracked(), 1);

    wait_for_language_effects().await;
    switch_language(i18n, Locale::en);
    wait_until("the banner is in English", || {
        mounted.text(".banner-error p")
            == "IncertOnline could not be reached. Check your internet connection and try again."
    })
    .await;

    // A server error without a problem body, such as a proxy's page, may also pass on retry.
    errors.set(ClientError::UnexpectedResponse {
        status: 502,
        body_excerpt: "<html>".to_owned(),
    });
    wait_until("the server error shows", || {
        mounted.text(".banner-error p") == "IncertOnline ran into an error. Try again in a moment."
    })
    .await;
    assert!(mounted.try_find(".banner-error button").is_some());

    // A rejected request does not pass on retry, so the banner offers no button.
    errors.set(ClientError::Api {
        status: 401,
        problem: Box::new(Problem {
            problem_type: "about:blank".to_owned(),
            title: "Fel inloggning".to_owned(),
            status: 401,
            detail: None,
            code: ErrorCode::InvalidCredentials,
            request_id: None,
            errors: Vec::new(),
        }),
        retry_after: None,
    });
    wait_until("the API error shows", || {
        mounted.text(".banner-error p") == "Wrong email address or password."
    })
    .await;
    assert!(mounted.try_find(".banner-error button").is_none());
}
