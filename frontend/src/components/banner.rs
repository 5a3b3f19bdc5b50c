//! The error banner of a form, with a retry button for failures that may pass on retry.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;

/// Shows the part of a form's error that no input shows. `on_retry` is offered when the
/// server was not reached or failed on its side.
#[component]
pub fn ErrorBanner(
    errors: FormErrors,
    #[prop(optional, into)] on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div role="alert" class="banner-slot">
            {move || errors.banner().map(|text| view! {
                <div class="banner banner-error">
                    <p>{text}</p>
                    {on_retry
                        .filter(|_| errors.retryable())
                        .map(|retry| view! {
                            <button type="button" class="secondary" on:click=move |_| retry.run(())>
                                {t!(i18n, retry)}
                            </button>
                        })}
                </div>
            })}
        </div>
    }
}
