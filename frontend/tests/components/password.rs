//! The password requirements box and the strength meter, which read the API.

use std::time::Duration;

use leptos::prelude::*;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::components::password_strength::{PasswordRequirements, StrengthMeter};
use incert_web::i18n::Locale;
use incert_web::language::{provide_language, switch_language};
use incert_web::state::session::Session;

use crate::fake_api::{FakeApi, Reply};
use crate::support::{mount, set_stored_language, sleep, wait_for_language_effects, wait_until};

#[wasm_bindgen_test]
async fn requirements_and_strength_follow_api() {
    set_stored_language(None);
    let api = FakeApi::install(vec![
        (
            "GET",
            "/api/v1/password-policy",
            Reply::json(json!({
                "min_length": 10,
                "max_length": 64,
                "requires_letter": true,
                "requires_digit": false,
                "rejects_common_passwords": true
            })),
        ),
        (
            "POST",
            "/api/v1/password-checks",
            Reply::json(json!({
                "acceptable": false,
                "violations": ["password_too_short", "password_too_common"],
                "strength": { "score": 1, "warning": null, "suggestions": [] }
            })),
        ),
    ]);
    let password = RwSignal::new(String::new());
    let i18n = RwSignal::new(None);
    let mounted = mount(move || {
        let language = provide_language();
        Session::provide(language);
        i18n.set(Some(language));
        view! {
            <PasswordRequirements/>
            <StrengthMeter password=password user_inputs=Signal::stored(Vec::new())/>
        }
    });

    assert_eq!(mounted.text(".requirements p"), "Hämtar …");
    wait_until("the requirements are listed", || {
        !mounted.texts(".requirements li").is_empty()
    })
    .await;
    assert_eq!(
        mounted.texts(".requirements li"),
        [
            "Är minst 10 och högst 64 tecken långt.",
            "Innehåller minst en bokstav (a–ö).",
            "Är inte ett vanligt eller lättgissat lösenord.",
        ]
    );
    assert!(mounted.try_find("meter").is_none());

    password.set("abc".to_owned());
    wait_until("the strength is shown", || {
        mounted.try_find("meter").is_some()
    })
    .await;
    assert_eq!(
        mounted.find("meter").get_attribute("value").as_deref(),
        Some("1")
    );
    assert_eq!(mounted.text(".strength-name"), "Svagt");
    assert_eq!(
        mounted.text("label[for=password-strength]"),
        "Lösenordets styrka"
    );
    assert_eq!(
        mounted.texts(".violations li"),
        [
            "Lösenordet är för kort.",
            "Lösenordet är för vanligt. Välj ett annat.",
        ]
    );
    assert_eq!(
        api.requests(),
        [
            "GET /api/v1/password-policy",
            "POST /api/v1/password-checks"
        ]
    );

    wait_for_language_effects().await;
    switch_language(i18n.get_untracked().expect("the component ran"), Locale::en);
    wait_until("the strength is in English", || {
        mounted.text(".strength-name") == "Weak"
    })
    .await;
    assert_eq!(
        mounted.texts(".violations li"),
        [
            "The password is too short.",
            "The password is too common. Choose another one.",
        ]
    );
    assert_eq!(
        mounted
            .texts(".requirements li")
            .first()
            .map(String::as_str),
        Some("Is at least 10 and at most 64 characters long.")
    );

    // An emptied field hides the estimate without asking the API.
    password.set(String::new());
    wait_until("the strength is hidden", || {
        mounted.try_find("meter").is_none()
    })
    .await;
    sleep(Duration::from_millis(400)).await;
    assert_eq!(api.requests().len(), 2);
}

#[wasm_bindgen_test]
async fn requirements_show_failure_of_policy_request() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![(
        "GET",
        "/api/v1/password-policy",
        Reply::html_error(502),
    )]);
    let mounted = mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <PasswordRequirements/> }
    });

    wait_until("the failure is shown", || {
        mounted.text(".requirements p")
            == "Det gick inte att nå IncertOnline. Kontrollera internetanslutningen och försök igen."
    })
    .await;
    assert!(mounted.try_find(".requirements li").is_none());
}
