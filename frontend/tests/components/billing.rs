//! The billing form: shown only once the stored details have loaded, with the address
//! group's error tied to the address inputs.

use leptos::prelude::*;
use leptos_router::components::Router;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::i18n::Locale;
use incert_web::language::{provide_language, switch_language};
use incert_web::pages::billing::EditBilling;
use incert_web::state::session::Session;

use crate::fake_api::{FakeApi, Reply};
use crate::support::{
    expect_failed_load, input_value, mount, set_stored_language, wait_for_language_effects,
    wait_until,
};

const STORED_BILLING: &str = "/api/v1/me/billing";

/// Inputs that the address group's error concerns.
const ADDRESS_INPUTS: [&str; 3] = ["#billing-street", "#billing-postal-code", "#billing-city"];

#[wasm_bindgen_test]
async fn form_shown_after_stored_details_load() {
    set_stored_language(None);
    let api = FakeApi::install(vec![(
        "GET",
        STORED_BILLING,
        Reply::json(json!({
            "invoice_by_email": false,
            "billing_email": null,
            "address": {
                "organisation_name": "Kyla & Värme AB",
                "street": "Storgatan 1",
                "postal_code": "111 22",
                "city": "Stockholm",
                "country": "SE"
            }
        })),
    )]);
    let mounted = mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <Router><EditBilling/></Router> }
    });

    // The request is still on its way, so there is nothing to type into yet.
    assert!(mounted.try_find("form").is_none());
    assert!(mounted.try_find("input").is_none());
    assert_eq!(mounted.text(".loading"), "Hämtar …");

    wait_until("the form is shown", || mounted.try_find("form").is_some()).await;
    assert!(mounted.try_find(".loading").is_none());
    assert_eq!(input_value(&mounted, "#billing-city"), "Stockholm");
    assert_eq!(input_value(&mounted, "#billing-street"), "Storgatan 1");
    assert_eq!(
        input_value(&mounted, "#billing-organisation-name"),
        "Kyla & Värme AB"
    );
    assert_eq!(input_value(&mounted, "#billing-reference"), "");
    assert_eq!(api.requests(), ["GET /api/v1/me/billing"]);
}

#[wasm_bindgen_test]
async fn failed_load_shows_no_form() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![("GET", STORED_BILLING, Reply::html_error(502))]);
    let mounted = mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <Router><EditBilling/></Router> }
    });

    expect_failed_load(&mounted).await;
}

#[wasm_bindgen_test]
async fn address_error_tied_to_address_inputs() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![
        (
            "GET",
            STORED_BILLING,
            Reply::json(json!({
                "invoice_by_email": false,
                "billing_email": null,
                "address": null
            })),
        ),
        (
            "PUT",
            STORED_BILLING,
            Reply {
                status: 422,
                content_type: "application/problem+json",
                body: json!({
                    "type": "about:blank",
                    "title": "Ogiltiga uppgifter",
                    "status": 422,
                    "code": "validation_failed",
                    "errors": [
                        {"field": "address", "code": "required", "message": "Serverns text."}
                    ]
                })
                .to_string(),
            },
        ),
    ]);
    let state = RwSignal::new(None);
    let mounted = mount(move || {
        let i18n = provide_language();
        Session::provide(i18n);
        state.set(Some(i18n));
        view! { <Router><EditBilling/></Router> }
    });
    wait_until("the form is shown", || mounted.try_find("form").is_some()).await;
    for selector in ADDRESS_INPUTS {
        let input = mounted.find(selector);
        assert_eq!(input.get_attribute("aria-invalid"), None, "{selector}");
        assert_eq!(input.get_attribute("aria-describedby"), None, "{selector}");
    }

    mounted.click("button[type=submit]");
    wait_until("the address error is shown", || {
        mounted.try_find("#billing-address-error").is_some()
    })
    .await;
    // The message names the parts of the address that are needed, where the general text
    // of `required` would not say which of the inputs to fill.
    assert_eq!(
        mounted.text("#billing-address-error"),
        "Fakturan skickas med post, så ange gatuadress, postnummer och ort."
    );
    for selector in ADDRESS_INPUTS {
        let input = mounted.find(selector);
        assert_eq!(
            input.get_attribute("aria-invalid").as_deref(),
            Some("true"),
            "{selector}"
        );
        assert_eq!(
            input.get_attribute("aria-describedby").as_deref(),
            Some("billing-address-error"),
            "{selector}"
        );
    }
    // The optional parts of an address are not what is missing.
    let reference = mounted.find("#billing-reference");
    assert_eq!(reference.get_attribute("aria-invalid"), None);
    assert_eq!(reference.get_attribute("aria-describedby"), None);
    assert_eq!(
        mounted.text("[role=alert]"),
        "Rätta de markerade fälten och försök igen."
    );

    wait_for_language_effects().await;
    switch_language(
        state.get_untracked().expect("the component ran"),
        Locale::en,
    );
    wait_until("the address error is in English", || {
        mounted.text("#billing-address-error")
            == "The invoice is sent by post, so enter the street address, postal code and city."
    })
    .await;
    set_stored_language(None);
}
