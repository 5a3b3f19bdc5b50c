//! The certificate list of Min Sida: a replaced certificate names the certificate that
//! replaced it in place of its renewal and recertification dates.

use leptos::prelude::*;
use leptos_router::components::Router;
use serde_json::{Value, json};
use wasm_bindgen_test::wasm_bindgen_test;

use incert_web::i18n::Locale;
use incert_web::language::{provide_language, switch_language};
use incert_web::pages::certificates::Certificates;
use incert_web::state::session::Session;

use crate::fake_api::{FakeApi, Reply};
use crate::support::{mount, set_stored_language, wait_for_language_effects, wait_until};

const OWN_CERTIFICATES: &str = "/api/v1/me/certificates";

/// Returns a list with the certificate of a recertification and the certificate it replaced,
/// as the API sends it in Swedish.
fn recertified_list() -> Value {
    json!({
        "grouping": "none",
        "groups": [{
            "key": "all",
            "title": "Alla certifikat",
            "certificates": [
                {
                    "number": "INC-2031-000417",
                    "certificate": "Personcertifikat Kategori I",
                    "status": "valid",
                    "annual_renewal": "2032-02-01",
                    "recertification": "2036-01-31",
                    "replaced_by_certificate": null,
                    "replaced_on": null
                },
                {
                    "number": "INC-2026-000001",
                    "certificate": "Personcertifikat Kategori I",
                    "status": "replaced",
                    "annual_renewal": null,
                    "recertification": "2031-03-13",
                    "replaced_by_certificate": "INC-2031-000417",
                    "replaced_on": "2031-02-01"
                }
            ]
        }],
        "total": 2
    })
}

#[wasm_bindgen_test]
async fn replaced_row_names_replacing_certificate() {
    set_stored_language(None);
    let _api = FakeApi::install(vec![(
        "GET",
        OWN_CERTIFICATES,
        Reply::json(recertified_list()),
    )]);
    let state = RwSignal::new(None);
    let mounted = mount(move || {
        let i18n = provide_language();
        Session::provide(i18n);
        state.set(Some(i18n));
        view! { <Router><Certificates/></Router> }
    });
    wait_until("both rows are shown", || {
        mounted.texts("tbody tr").len() == 2
    })
    .await;

    let replaced = "tbody tr:nth-child(2) td";
    let replaced_cells = mounted.texts(replaced);
    assert_eq!(replaced_cells.len(), 5, "{replaced_cells:?}");
    assert_eq!(replaced_cells[0], "INC-2026-000001");
    assert_eq!(replaced_cells[2], "Ersatt");
    assert_eq!(
        replaced_cells[3],
        "Ersatt av certifikat INC-2031-000417 den 2031-02-01"
    );
    let sentence = mounted.find("tbody tr:nth-child(2) td.replaced");
    assert_eq!(sentence.get_attribute("colspan").as_deref(), Some("2"));
    let replaced_text = mounted.text("tbody tr:nth-child(2)");
    assert!(
        !replaced_text.contains("2031-03-13"),
        "the recertification date is shown: {replaced_text}"
    );

    // The certificate that replaced it keeps both date columns.
    let current_cells = mounted.texts("tbody tr:nth-child(1) td");
    assert_eq!(current_cells.len(), 6, "{current_cells:?}");
    assert_eq!(current_cells[2], "Giltig");
    assert_eq!(current_cells[3], "2032-02-01");
    assert_eq!(current_cells[4], "2036-01-31");
    assert!(
        mounted
            .try_find("tbody tr:nth-child(1) td.replaced")
            .is_none()
    );

    wait_for_language_effects().await;
    switch_language(
        state.get_untracked().expect("the component ran"),
        Locale::en,
    );
    wait_until("the replacement is named in English", || {
        mounted.texts(replaced).get(3).map(String::as_str)
            == Some("Replaced by certificate INC-2031-000417 on 2031-02-01")
    })
    .await;
    set_stored_language(None);
}
