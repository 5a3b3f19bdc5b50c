//! The start page: register or log in.

use leptos::prelude::*;
use leptos_router::components::A;

use crate::i18n::use_i18n;

#[component]
pub fn Start() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{move || i18n.t().start_title}</h1>
        <p>{move || i18n.t().start_intro}</p>
        <div class="cards">
            <section class="card">
                <p>{move || i18n.t().start_register_text}</p>
                <A href="/registrera" attr:class="button">{move || i18n.t().nav_register}</A>
            </section>
            <section class="card">
                <p>{move || i18n.t().start_login_text}</p>
                <A href="/logga-in" attr:class="button">{move || i18n.t().nav_login}</A>
            </section>
        </div>
    }
}
