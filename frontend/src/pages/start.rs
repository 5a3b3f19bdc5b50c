//! The start page: register or log in.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::{t, use_i18n};

#[component]
pub fn Start() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, start_title)}</h1>
        <p>{t!(i18n, start_intro)}</p>
        <div class="cards">
            <section class="card">
                <p>{t!(i18n, start_register_text)}</p>
                <A href="/registrera" attr:class="button">{t!(i18n, nav_register)}</A>
            </section>
            <section class="card">
                <p>{t!(i18n, start_login_text)}</p>
                <A href="/logga-in" attr:class="button">{t!(i18n, nav_login)}</A>
            </section>
        </div>
    }
}
