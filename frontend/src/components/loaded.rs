//! The three states of data loaded from the API: loading, failed with a retry, and loaded.

use incert_client::ClientError;
use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::state::errors::{code_message, is_retryable};

/// Renders `resource` with `render` once it has loaded. A failure shows its message and, when
/// the same request may succeed again, a button that reloads.
pub fn loaded<T, V>(
    resource: LocalResource<Result<T, ClientError>>,
    render: impl Fn(T) -> V + Copy + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    move || match resource.get() {
        None => view! { <p class="loading">{t!(i18n, loading)}</p> }.into_any(),
        Some(Ok(value)) => render(value).into_any(),
        Some(Err(error)) => {
            let retry = is_retryable(&error).then(|| {
                view! {
                    <button type="button" class="secondary" on:click=move |_| resource.refetch()>
                        {t!(i18n, retry)}
                    </button>
                }
            });
            view! {
                <div class="banner banner-error" role="alert">
                    <p>{move || code_message(i18n.get_locale(), &error)}</p>
                    {retry}
                </div>
            }
            .into_any()
        }
    }
}
