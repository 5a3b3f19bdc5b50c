//! "Byt e-postadress": the new login address and the current password, then the code that
//! was emailed to the new address.

use incert_client::contract::account::{EmailChangeConfirmation, EmailChangeRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};

use crate::components::{ErrorBanner, TextField, focus_later};
use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn ChangeEmail() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let request_errors = FormErrors::new(i18n, &["new_email", "current_password"], |_| None);
    let confirm_errors = FormErrors::new(i18n, &["code"], |_| None);
    let new_email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    // Minutes the emailed code stays valid, once the server has sent it.
    let code_valid_minutes = RwSignal::new(None::<u32>);
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);

    let send_request = move || {
        let request = EmailChangeRequest {
            new_email: new_email.get_untracked().trim().to_owned(),
            current_password: password.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let request = request.clone();
                    async move { client.start_email_change(&request).await }
                })
                .await;
            if let Some(started) = request_errors.record(result) {
                password.set(String::new());
                code_valid_minutes.set(Some(started.code_valid_minutes));
                focus_later("email-code");
            }
            pending.set(false);
        });
    };
    let send_code = move || {
        let confirmation = EmailChangeConfirmation {
            code: code.get_untracked().trim().to_owned(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let confirmation = confirmation.clone();
                    async move { client.confirm_email_change(&confirmation).await }
                })
                .await;
            if confirm_errors.record(result).is_some() {
                // Min Sida loads the account again when this fails, so the error is dropped.
                let _ = session.load_me().await;
                done.set(true);
            }
            pending.set(false);
        });
    };
    let on_request = move |event: SubmitEvent| {
        event.prevent_default();
        send_request();
    };
    let on_code = move |event: SubmitEvent| {
        event.prevent_default();
        send_code();
    };

    let request_form = move || {
        view! {
            <p>{t!(i18n, change_email_intro)}</p>
            <form class="form" on:submit=on_request novalidate>
                <TextField
                    id="email-new"
                    name="new_email"
                    label=t!(i18n, new_email_label)
                    value=new_email
                    errors=request_errors
                    input_type="email"
                    autocomplete="email"
                    required=true
                />
                <TextField
                    id="email-password"
                    name="current_password"
                    label=t!(i18n, current_password_label)
                    hint=t!(i18n, current_password_hint)
                    value=password
                    errors=request_errors
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <ErrorBanner errors=request_errors on_retry=Callback::new(move |()| send_request())/>
                <div class="button-row">
                    <button type="submit" disabled=move || pending.get()>
                        {t!(i18n, send_code_button)}
                    </button>
                    <A href="/min-sida" attr:class="button secondary">{t!(i18n, cancel)}</A>
                </div>
            </form>
        }
    };
    let code_form = move |minutes: u32| {
        view! {
            <p>{t!(i18n, email_code_sent_text, email = move || new_email.get(), minutes)}</p>
            <p>{t!(i18n, spam_folder_hint)}</p>
            <form class="form" on:submit=on_code novalidate>
                <TextField
                    id="email-code"
                    name="code"
                    label=t!(i18n, code_label)
                    hint=t!(i18n, email_code_hint)
                    value=code
                    errors=confirm_errors
                    inputmode="numeric"
                    autocomplete="one-time-code"
                    required=true
                />
                <ErrorBanner errors=confirm_errors on_retry=Callback::new(move |()| send_code())/>
                <div class="button-row">
                    <button type="submit" disabled=move || pending.get()>
                        {t!(i18n, save)}
                    </button>
                    <A href="/min-sida" attr:class="button secondary">{t!(i18n, cancel)}</A>
                </div>
            </form>
        }
    };

    view! {
        {move || done.get().then(|| view! { <Redirect path="/min-sida"/> })}
        <h1>{t!(i18n, change_email_title)}</h1>
        {move || match code_valid_minutes.get() {
            Some(minutes) => code_form(minutes).into_any(),
            None => request_form().into_any(),
        }}
    }
}
