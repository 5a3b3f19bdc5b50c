//! The end of a Min Sida edit form: its error banner, "Spara" and "Avbryt".

use leptos::prelude::*;
use leptos_router::components::A;

use crate::components::ErrorBanner;
use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;

/// Renders the form's error banner with `on_retry`, a submit button that is disabled while
/// `pending`, and a link that cancels the edit and goes back to Min Sida.
#[component]
pub fn SaveOrCancel(
    errors: FormErrors,
    #[prop(into)] pending: Signal<bool>,
    on_retry: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <ErrorBanner errors=errors on_retry=on_retry/>
        <div class="button-row">
            <button type="submit" disabled=move || pending.get()>{t!(i18n, save)}</button>
            <A href="/min-sida" attr:class="button secondary">{t!(i18n, cancel)}</A>
        </div>
    }
}
