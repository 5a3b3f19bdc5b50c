//! "Ändra uppgifter": the form is shown only once the stored details have loaded, so a late
//! response cannot replace what the person types.

use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use leptos_router::components::Router;
use serde_json::json;
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::language::provide_language;
use incert_web::pages::details::EditDetails;
use incert_web::state::session::Session;

use crate::fake_api::{FakeApi, Reply};
use crate::support::{
    Mounted, expect_failed_load, input_value, mount, set_stored_language, wait_until,
};

const STORED_ACCOUNT: &str = "/api/v1/me";

fn mount_details() -> Mounted<impl Mountable> {
    mount(|| {
        let i18n = provide_language();
        Session::provide(i18n);
        view! { <Router><EditDetails/></Router> }
    })
}

#[wasm_bindgen_test]
async fn details_form_shown_after_stored_details_load() {
    set_stored_language(None);
    let api = FakeApi::install(vec![(
        "GET",
        STORED_ACCOUNT,
        Reply::json(json!({
            "id": "0b5f3c1e-4d52-4a86-9d0e-5f1f2b7c9a11",
            "email": "karin.kyla@example.se",
            "first_name": "Karin",
            "last_name": "Kyla",
            "birth_date": "1980-01-01",
            "personnummer_masked": null,
            "mobile": "+46701234567",
            "language": "sv",
            "role": "person",
            "must_change_password": false
        })),
    )]);
    let mounted = mount_details();

    // The request is still on its way, so there is nothing to type into yet.
    assert!(mounted.try_find("form").is_none());
    assert!(mounted.try_find("input").is_none());
    assert_eq!(mounted.text(".loading"), "Hämtar …");

    wait_until("the form is shown", || mounted.try_find("form").is_some()).await;
    assert!(mounted.try_find(".loading").is_none());
    assert_eq!(input_value(&mounted, "#details-first-name"), "Karin");
    assert_eq!(input_value(&mounted, "#details-last-name"), "Kyla");
    assert_eq!(input_value(&mounted, "#details-mobile"), "+46701234567");
    assert_eq!(mounted.text("button[type=submit]"), "Spara");
    assert_eq!(mounted.text("a.secondary"), "Avbryt");
    assert_eq!(api.requests(), ["GET /api/v1/me"]);
}

#[wasm_bindgen_test]
async fn details_failed_load_shows_no_form() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![("GET", STORED_ACCOUNT, Reply::html_error(502))]);
    let mounted = mount_details();

    expect_failed_load(&mounted).await;
}
