//! The page frame: skip link, header with menu and language switch, and the main region.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use crate::i18n::use_i18n;
use crate::state::session::use_session;

/// Wraps a page in the frame.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();

    let switch_language = move |_| i18n.switch(i18n.language.get_untracked().other());
    // Leaves the guarded page first: clearing the session there would redirect to the login.
    let log_out = move |_| {
        navigate("/", Default::default());
        spawn_local(async move { session.log_out().await });
    };

    view! {
        // The router handles no link with a target, so the browser follows this one itself and
        // moves the keyboard focus to the main region.
        <a class="skip-link" href="#main" target="_self">{move || i18n.t().skip_to_content}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">"IncertOnline"</A>
            <nav aria-label=move || i18n.t().main_navigation>
                <ul>
                    <Show
                        when=move || session.is_signed_in()
                        fallback=move || view! {
                            <li><A href="/registrera">{move || i18n.t().nav_register}</A></li>
                            <li><A href="/logga-in">{move || i18n.t().nav_login}</A></li>
                        }
                    >
                        <li><A href="/min-sida">{move || i18n.t().nav_my_page}</A></li>
                        <li>
                            <button type="button" class="link-button" on:click=log_out.clone()>
                                {move || i18n.t().nav_log_out}
                            </button>
                        </li>
                    </Show>
                    <li>
                        <button
                            type="button"
                            class="language-switch"
                            lang=move || i18n.language.get().other().texts().html_lang
                            on:click=switch_language
                        >
                            {move || i18n.t().switch_language}
                        </button>
                    </li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
