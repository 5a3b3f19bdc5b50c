//! "Ändra uppgifter": first name, last name and mobile number.

use incert_client::contract::account::MeUpdate;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::components::loaded::loaded;
use crate::components::{SaveOrCancel, TextField};
use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn EditDetails() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, &["first_name", "last_name", "mobile"], |_| None);
    let first_name = RwSignal::new(String::new());
    let last_name = RwSignal::new(String::new());
    let mobile = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);

    // The account is loaded again in case another device changed it. The form is shown only
    // once the stored details have filled it, so nothing that the person types can be
    // replaced by a late response.
    let stored = LocalResource::new(move || async move {
        let me = session.load_me().await?;
        first_name.set(me.first_name);
        last_name.set(me.last_name);
        mobile.set(me.mobile.unwrap_or_default());
        Ok(())
    });

    let send = move || {
        let update = MeUpdate {
            first_name: Some(first_name.get_untracked()),
            last_name: Some(last_name.get_untracked()),
            mobile: Some(mobile.get_untracked().trim().to_owned()),
            language: None,
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let update = update.clone();
                    async move { client.update_me(&update).await }
                })
                .await;
            if let Some(me) = errors.record(result) {
                session.me.set(Some(me));
                saved.set(true);
            }
            pending.set(false);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };

    let form = move |()| {
        view! {
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    id="details-first-name"
                    name="first_name"
                    label=t!(i18n, first_name_label)
                    value=first_name
                    errors=errors
                    autocomplete="given-name"
                    required=true
                />
                <TextField
                    id="details-last-name"
                    name="last_name"
                    label=t!(i18n, last_name_label)
                    value=last_name
                    errors=errors
                    autocomplete="family-name"
                    required=true
                />
                <TextField
                    id="details-mobile"
                    name="mobile"
                    label=t!(i18n, mobile_label)
                    value=mobile
                    errors=errors
                    input_type="tel"
                    autocomplete="tel"
                />
                <SaveOrCancel errors=errors pending=pending on_retry=Callback::new(move |()| send())/>
            </form>
        }
    };

    view! {
        {move || saved.get().then(|| view! { <Redirect path="/min-sida"/> })}
        <h1>{t!(i18n, edit_details)}</h1>
        {loaded(stored, form)}
    }
}
