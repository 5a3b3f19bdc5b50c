//! The language switch of the page frame, the remembered choice and `<html lang>`.

use std::cell::Cell;
use std::rc::Rc;

use incert_client::PreferredLanguage;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use leptos_router::components::Router;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::components::layout::Layout;
use incert_web::i18n::{Locale, t};
use incert_web::language::{I18n, preferred_language, provide_language};
use incert_web::state::session::Session;

use crate::support::{
    Mounted, html_lang, mount, set_stored_language, stored_language, wait_for_language_effects,
    wait_until,
};

/// Mounts the page frame around a heading with the start page's title, and returns the
/// language state with it.
fn mount_frame() -> (Mounted<impl Mountable>, I18n) {
    let state = Rc::new(Cell::new(None::<I18n>));
    let slot = Rc::clone(&state);
    let mounted = mount(move || {
        let i18n = provide_language();
        Session::provide(i18n);
        slot.set(Some(i18n));
        view! {
            <Router>
                <Layout>
                    <h1 id="test-title">{t!(i18n, start_title)}</h1>
                </Layout>
            </Router>
        }
    });
    (mounted, state.get().expect("the component ran"))
}

#[wasm_bindgen_test]
async fn language_switch_changes_texts_and_html_lang() {
    set_stored_language(None);
    let (mounted, i18n) = mount_frame();
    wait_for_language_effects().await;
    assert_eq!(html_lang().as_deref(), Some("sv"));
    // The test browser prefers English, so Swedish comes from the app.
    assert!(
        window()
            .navigator()
            .language()
            .is_some_and(|tag| tag.starts_with("en"))
    );
    assert_eq!(mounted.text("#test-title"), "Välkommen till IncertOnline");
    assert_eq!(mounted.text(".language-switch"), "In English");
    assert_eq!(
        mounted
            .find(".language-switch")
            .get_attribute("lang")
            .as_deref(),
        Some("en")
    );
    assert_eq!(
        mounted.find("nav").get_attribute("aria-label").as_deref(),
        Some("Huvudmeny")
    );
    assert_eq!(
        preferred_language(i18n.get_locale_untracked()),
        PreferredLanguage::Sv
    );
    assert_eq!(stored_language(), None);

    mounted.click(".language-switch");
    wait_until("the title is in English", || {
        mounted.text("#test-title") == "Welcome to IncertOnline"
    })
    .await;
    wait_until("<html lang> is en", || html_lang().as_deref() == Some("en")).await;
    assert_eq!(stored_language().as_deref(), Some("en"));
    assert_eq!(mounted.text(".language-switch"), "På svenska");
    assert_eq!(
        mounted
            .find(".language-switch")
            .get_attribute("lang")
            .as_deref(),
        Some("sv")
    );
    assert_eq!(
        mounted.find("nav").get_attribute("aria-label").as_deref(),
        Some("Main menu")
    );
    assert_eq!(mounted.texts("nav a"), ["Register account", "Log in"]);
    assert_eq!(
        preferred_language(i18n.get_locale_untracked()),
        PreferredLanguage::En
    );

    mounted.click(".language-switch");
    wait_until("the title is in Swedish", || {
        mounted.text("#test-title") == "Välkommen till IncertOnline"
    })
    .await;
    wait_until("<html lang> is sv", || html_lang().as_deref() == Some("sv")).await;
    assert_eq!(stored_language().as_deref(), Some("sv"));
    assert_eq!(mounted.texts("nav a"), ["Registrera konto", "Logga in"]);
}

#[wasm_bindgen_test]
async fn stored_language_chosen_at_start() {
    set_stored_language(Some("en"));
    let (mounted, i18n) = mount_frame();
    assert_eq!(i18n.get_locale_untracked(), Locale::en);
    assert_eq!(mounted.text("#test-title"), "Welcome to IncertOnline");
    wait_until("<html lang> is en", || html_lang().as_deref() == Some("en")).await;
    drop(mounted);

    // A value the app does not know falls back to Swedish, whatever the browser prefers.
    set_stored_language(Some("fr"));
    let (mounted, i18n) = mount_frame();
    assert_eq!(i18n.get_locale_untracked(), Locale::sv);
    assert_eq!(mounted.text("#test-title"), "Välkommen till IncertOnline");
    set_stored_language(None);
}
