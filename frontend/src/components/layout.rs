//! The page frame: skip link, header with menu and language switch, and the main region.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use leptos_router::hooks::use_navigate;

use leptos_i18n::Locale as _;

use crate::i18n::{t, t_string, use_i18n};
use crate::language::{other_locale, switch_language};
use crate::state::session::use_session;

/// Wraps a page in the frame.
#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let navigate = use_navigate();

    let on_switch = move |_| switch_language(i18n, other_locale(i18n.get_locale_untracked()));
    // Leaves the guarded page first: clearing the session there would redirect to the login.
    let log_out = move |_| {
        navigate("/", Default::default());
        spawn_local(async move { session.log_out().await });
    };

    view! {
        // The router handles no link with a target, so the browser follows this one itself and
        // moves the keyboard focus to the main region.
        <a class="skip-link" href="#main" target="_self">{t!(i18n, skip_to_content)}</a>
        <header class="site-header">
            <A href="/" attr:class="brand">"IncertOnline"</A>
            <nav aria-label=move || t_string!(i18n, main_navigation)>
                <ul>
                    <Show
                        when=move || session.is_signed_in()
                        fallback=move || view! {
                            <li><A href="/registrera">{t!(i18n, nav_register)}</A></li>
                            <li><A href="/logga-in">{t!(i18n, nav_login)}</A></li>
                        }
                    >
                        <li><A href="/min-sida">{t!(i18n, nav_my_page)}</A></li>
                        <li>
                            <button type="button" class="link-button" on:click=log_out.clone()>
                                {t!(i18n, nav_log_out)}
                            </button>
                        </li>
                    </Show>
                    <li>
                        <button
                            type="button"
                            class="language-switch"
                            lang=move || other_locale(i18n.get_locale()).as_str()
                            on:click=on_switch
                        >
                            {t!(i18n, switch_language)}
                        </button>
                    </li>
                </ul>
            </nav>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
    }
}
