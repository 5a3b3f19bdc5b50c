//! The BankID step: status messages chosen from the API's message number in the language
//! shown now, the launch link's return address, and an order followed again after a reload.

use incert_client::contract::bankid::BankIdDevice;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use leptos_router::components::Router;
use serde_json::{Value, json};
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::i18n::Locale;
use incert_web::language::{BankIdMessage, provide_language, switch_language};
use incert_web::pages::bankid::launch::{return_address, with_return_address};
use incert_web::pages::bankid::resume::{forget_order, remember_order, remembered_order};
use incert_web::pages::bankid::{BankIdPurpose, BankIdSigning};
use incert_web::pages::login::Login;
use incert_web::pages::register::Register;
use incert_web::state::session::Session;

use crate::fake_api::{FakeApi, Reply};
use crate::locales::{ENGLISH, SWEDISH, texts};
use crate::support::{Mounted, mount, set_stored_language, wait_for_language_effects, wait_until};

const ORDER_ID: &str = "6f1d2c3b-4a59-4e87-9c10-2b3a4d5e6f70";
const ORDER_STATUS: &str = "/api/v1/auth/bankid/6f1d2c3b-4a59-4e87-9c10-2b3a4d5e6f70";
const REGISTRATION_STATUS: &str =
    "/api/v1/registrations/swedish/6f1d2c3b-4a59-4e87-9c10-2b3a4d5e6f70";

/// The API's Swedish message for the hint code `userSign` (RFA9).
const CONTINUE_IN_APP: &str =
    "Fortsätt i BankID-appen. Ange din säkerhetskod och välj Identifiera eller Skriv under.";
/// The API's Swedish message for the hint code `started` on a computer's browser (RFA14A).
const LOOKING_FOR_BANKID: &str = "Letar efter BankID, vänta en stund … Hittas inget BankID efter några sekunder finns det troligen inget BankID på den här datorn som går att använda här. Har du ett BankID-kort sätter du in det i kortläsaren. Har du BankID på en annan enhet kan du öppna BankID-appen där. Saknar du BankID kan du skaffa ett hos din bank.";

const IPHONE_SAFARI: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1";
const IPHONE_CHROME: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/156.0.0.0 Mobile/15E148 Safari/604.1";
const IPHONE_FIREFOX: &str = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/150.0 Mobile/15E148 Safari/605.1.15";
const ANDROID_CHROME: &str = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Mobile Safari/537.36";
const DESKTOP_CHROME: &str = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36";

/// Returns a login order's state as the API sends it, with its message as a pair of
/// BankID's message number and the text.
fn order_state(status: &str, hint_code: Option<&str>, message: Option<(&str, &str)>) -> Value {
    json!({
        "id": ORDER_ID,
        "status": status,
        "hint_code": hint_code,
        "failure_code": null,
        "message": message.map(|(_, text)| text),
        "message_code": message.map(|(code, _)| code),
        "launch_link": null,
        "qr_data": (status == "pending").then_some("bankid.qr-token.0.0123456789abcdef"),
    })
}

/// Returns the state of an order that the person cancelled in the BankID app, with the
/// API's message in Swedish.
fn cancelled_in_app() -> Reply {
    Reply::json(order_state(
        "failed",
        Some("userCancel"),
        Some(("RFA6", "Du avbröt åtgärden.")),
    ))
}

/// Mounts the BankID step of a login on another device, and returns it with the language
/// state once the language effects have run.
async fn mount_signing() -> (Mounted<impl Mountable>, incert_web::language::I18n) {
    let state = RwSignal::new(None);
    let mounted = mount(move || {
        let i18n = provide_language();
        Session::provide(i18n);
        state.set(Some(i18n));
        view! {
            <Router>
                <BankIdSigning
                    order_id=ORDER_ID.to_owned()
                    device=BankIdDevice::OtherDevice
                    purpose=BankIdPurpose::Login
                    on_restart=Callback::new(|()| {})
                />
            </Router>
        }
    });
    wait_for_language_effects().await;
    (mounted, state.get_untracked().expect("the component ran"))
}

/// Mounts the login page, which follows the order that `remember_order` stored.
fn mount_login() -> Mounted<impl Mountable> {
    mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <Router><Login/></Router> }
    })
}

#[wasm_bindgen_test]
fn every_bankid_message_has_locale_texts() {
    let swedish = texts(SWEDISH);
    let english = texts(ENGLISH);
    for message in BankIdMessage::ALL {
        let in_swedish = message.text(Locale::sv);
        let in_english = message.text(Locale::en);
        assert!(
            swedish.values().any(|text| text == in_swedish),
            "{message:?} has no Swedish text in the locale file"
        );
        assert!(
            english.values().any(|text| text == in_english),
            "{message:?} has no English text in the locale file"
        );
        assert_ne!(in_swedish, in_english, "{message:?}");
    }
}

#[wasm_bindgen_test]
fn bankid_message_numbers_round_trip() {
    for message in BankIdMessage::ALL {
        assert_eq!(
            BankIdMessage::from_code(message.code()),
            Some(message),
            "{message:?}"
        );
    }
    // Numbers that the API does not send for an order have no text here.
    for code in ["RFA2", "RFA7", "RFA18", "rfa6", ""] {
        assert_eq!(BankIdMessage::from_code(code), None, "{code}");
    }
}

#[wasm_bindgen_test]
async fn failed_order_message_follows_language_switch() {
    set_stored_language(None);
    // The API chose the message in Swedish, the language of the request. The order has
    // ended, so the page stops polling it.
    let _api = FakeApi::install(vec![("GET", ORDER_STATUS, cancelled_in_app())]);
    let (mounted, i18n) = mount_signing().await;
    wait_until("the failure is shown", || {
        mounted.text("#bankid-status") == "Du avbröt åtgärden."
    })
    .await;

    switch_language(i18n, Locale::en);
    wait_until("the failure is in English", || {
        mounted.text("#bankid-status") == "You cancelled the action."
    })
    .await;
    switch_language(i18n, Locale::sv);
    wait_until("the failure is in Swedish again", || {
        mounted.text("#bankid-status") == "Du avbröt åtgärden."
    })
    .await;
    set_stored_language(None);
}

#[wasm_bindgen_test]
async fn pending_order_message_follows_language_switch() {
    set_stored_language(None);
    // Every poll returns the Swedish text, so only the message number can give the English one.
    let _api = FakeApi::install(vec![(
        "GET",
        ORDER_STATUS,
        Reply::json(order_state(
            "pending",
            Some("userSign"),
            Some(("RFA9", CONTINUE_IN_APP)),
        )),
    )]);
    let (mounted, i18n) = mount_signing().await;
    wait_until("the status is shown", || {
        mounted
            .text("#bankid-status")
            .starts_with("Fortsätt i BankID-appen.")
    })
    .await;

    switch_language(i18n, Locale::en);
    wait_until("the status is in English", || {
        mounted.text("#bankid-status")
            == "Continue in the BankID app. Enter your security code and choose Identify or Sign."
    })
    .await;
    set_stored_language(None);
}

#[wasm_bindgen_test]
async fn technical_error_follows_language_switch() {
    set_stored_language(None);
    // After a failed call to BankID the API sends a technical error (RFA5) with the order's
    // last hint code, which would map to another message.
    let _api = FakeApi::install(vec![(
        "GET",
        ORDER_STATUS,
        Reply::json(order_state(
            "pending",
            Some("outstandingTransaction"),
            Some(("RFA5", "Ett tekniskt fel uppstod. Försök igen om en stund.")),
        )),
    )]);
    let (mounted, i18n) = mount_signing().await;
    wait_until("the technical error is shown", || {
        mounted.text("#bankid-status") == "Ett tekniskt fel uppstod. Försök igen om en stund."
    })
    .await;

    switch_language(i18n, Locale::en);
    wait_until("the technical error is in English", || {
        mounted.text("#bankid-status")
            == "A technical error occurred. Please try again in a moment."
    })
    .await;
    set_stored_language(None);
}

#[wasm_bindgen_test]
async fn message_without_known_number_shown_as_sent() {
    set_stored_language(None);
    let sent = "Ett meddelande som appen inte känner till.";
    let _api = FakeApi::install(vec![(
        "GET",
        ORDER_STATUS,
        Reply::json(order_state(
            "pending",
            Some("userSign"),
            Some(("RFA99", sent)),
        )),
    )]);
    let (mounted, _i18n) = mount_signing().await;
    wait_until("the API's message is shown", || {
        mounted.text("#bankid-status") == sent
    })
    .await;
    assert_eq!(mounted.text("#bankid-status"), sent);
    set_stored_language(None);
}

#[wasm_bindgen_test]
fn return_address_only_for_safari_on_ios() {
    let page = "https://incert.example/logga-in";
    assert_eq!(return_address(IPHONE_SAFARI, page).as_deref(), Some(page));
    // The BankID app would open the address in Safari, away from the tab that follows the
    // order, and on Android the app returns to the browser by itself.
    for user_agent in [
        IPHONE_CHROME,
        IPHONE_FIREFOX,
        ANDROID_CHROME,
        DESKTOP_CHROME,
    ] {
        assert_eq!(return_address(user_agent, page), None, "{user_agent}");
    }
}

#[wasm_bindgen_test]
fn return_address_replaces_null_redirect() {
    let token = "46d7fcfa-bd2f-4a77-8ac0-4b7e19a1e1a3";
    let phone_link = format!("https://app.bankid.com/?autostarttoken={token}&redirect=null");
    assert_eq!(
        with_return_address(&phone_link, "https://incert.example/logga-in?x=1&y=å#top"),
        format!(
            "https://app.bankid.com/?autostarttoken={token}&redirect=https%3A%2F%2Fincert.example%2Flogga-in%3Fx%3D1%26y%3D%C3%A5%23top"
        )
    );
    // The desktop program returns to the browser by itself.
    let desktop_link = format!("bankid:///?autostarttoken={token}&redirect=null");
    assert_eq!(
        with_return_address(&desktop_link, "https://incert.example/logga-in"),
        desktop_link
    );
}

#[wasm_bindgen_test]
fn remembered_order_kept_per_purpose() {
    forget_order();
    assert_eq!(remembered_order(BankIdPurpose::Login), None);

    remember_order(BankIdPurpose::Login, ORDER_ID);
    assert_eq!(
        remembered_order(BankIdPurpose::Login).as_deref(),
        Some(ORDER_ID)
    );
    assert_eq!(remembered_order(BankIdPurpose::Registration), None);

    forget_order();
    assert_eq!(remembered_order(BankIdPurpose::Login), None);
}

#[wasm_bindgen_test]
async fn login_follows_remembered_order() {
    set_stored_language(None);
    let api = FakeApi::install(vec![(
        "GET",
        ORDER_STATUS,
        Reply::json(order_state(
            "pending",
            Some("started"),
            Some(("RFA14A", LOOKING_FOR_BANKID)),
        )),
    )]);
    // The order that the tab followed before the reload.
    remember_order(BankIdPurpose::Login, ORDER_ID);
    let mounted = mount_login();

    wait_until("the order's status is shown", || {
        mounted.try_find("#bankid-status").is_some_and(|status| {
            status
                .text_content()
                .unwrap_or_default()
                .starts_with("Letar efter BankID, vänta en stund")
        })
    })
    .await;
    assert!(mounted.try_find("form").is_none());
    assert!(
        api.requests().contains(&format!("GET {ORDER_STATUS}")),
        "{:?}",
        api.requests()
    );

    // Leaving the BankID step removes the stored order, so a later page load starts afresh.
    drop(mounted);
    assert_eq!(remembered_order(BankIdPurpose::Login), None);
    set_stored_language(None);
}

#[wasm_bindgen_test]
async fn registration_follows_remembered_order() {
    set_stored_language(None);
    let api = FakeApi::install(vec![(
        "GET",
        REGISTRATION_STATUS,
        Reply::json(order_state(
            "pending",
            Some("userSign"),
            Some(("RFA9", CONTINUE_IN_APP)),
        )),
    )]);
    remember_order(BankIdPurpose::Registration, ORDER_ID);
    let mounted = mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <Router><Register/></Router> }
    });

    wait_until("the order's status is shown", || {
        mounted.try_find("#bankid-status").is_some_and(|status| {
            status
                .text_content()
                .unwrap_or_default()
                .starts_with("Fortsätt i BankID-appen.")
        })
    })
    .await;
    assert!(mounted.try_find("form").is_none());
    assert!(
        api.requests()
            .contains(&format!("GET {REGISTRATION_STATUS}")),
        "{:?}",
        api.requests()
    );
    // A login page does not take over a registration's order.
    assert_eq!(remembered_order(BankIdPurpose::Login), None);

    drop(mounted);
    assert_eq!(remembered_order(BankIdPurpose::Registration), None);
    set_stored_language(None);
}

#[wasm_bindgen_test]
async fn ended_order_forgotten() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![("GET", ORDER_STATUS, cancelled_in_app())]);
    remember_order(BankIdPurpose::Login, ORDER_ID);
    let mounted = mount_login();

    wait_until("the failure is shown", || {
        mounted
            .try_find("#bankid-status")
            .is_some_and(|status| status.text_content().as_deref() == Some("Du avbröt åtgärden."))
    })
    .await;
    // The step is still shown, but a reload now starts afresh.
    assert_eq!(remembered_order(BankIdPurpose::Login), None);
    set_stored_language(None);
}
