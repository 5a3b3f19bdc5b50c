//! "Ändra lösenord", forced after the first login, and "Ditt lösenord har ändrats".

use incert_client::ErrorCode;
use incert_client::contract::auth::PasswordChangeRequest;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};

use crate::components::password_strength::{NewPasswordFields, PasswordRequirements};
use crate::components::{ErrorBanner, TextField};
use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn ChangePassword() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, &["current_password", "new_password"], |code| {
        (code == ErrorCode::InvalidCredentials).then_some("current_password")
    });
    let current = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let pending = RwSignal::new(false);
    let done = RwSignal::new(false);

    let user_inputs = Signal::derive(move || {
        session.me.with(|me| {
            me.as_ref()
                .map(|me| {
                    vec![
                        me.email.clone(),
                        me.first_name.clone(),
                        me.last_name.clone(),
                    ]
                })
                .unwrap_or_default()
        })
    });

    let send = move || {
        if new_password.get_untracked() != again.get_untracked() {
            return;
        }
        let request = PasswordChangeRequest {
            current_password: current.get_untracked(),
            new_password: new_password.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let request = request.clone();
                    async move { client.change_password(&request).await }
                })
                .await;
            pending.set(false);
            if let Some(tokens) = errors.record(result) {
                session.start(tokens);
                let _ = session.load_me().await;
                done.set(true);
            }
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };

    view! {
        {move || done.get().then(|| view! { <Redirect path="/andra-losenord/klart"/> })}
        <h1>{t!(i18n, change_password_title)}</h1>
        {move || session.must_change_password().then(|| view! {
            <p class="notice">{t!(i18n, first_login_intro)}</p>
        })}
        <div class="two-columns">
            <form class="form" on:submit=on_submit novalidate>
                <TextField
                    id="password-current"
                    name="current_password"
                    label=t!(i18n, current_password_label)
                    hint=t!(i18n, current_password_hint)
                    value=current
                    errors=errors
                    input_type="password"
                    autocomplete="current-password"
                    required=true
                />
                <NewPasswordFields
                    new_id="password-new"
                    again_id="password-again"
                    new_password=new_password
                    again=again
                    errors=errors
                    user_inputs=user_inputs
                />
                <ErrorBanner errors=errors on_retry=Callback::new(move |()| send())/>
                <button type="submit" disabled=move || pending.get()>
                    {t!(i18n, save)}
                </button>
            </form>
            <PasswordRequirements/>
        </div>
    }
}

#[component]
pub fn PasswordChanged() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{t!(i18n, password_changed_title)}</h1>
            <p>{t!(i18n, password_changed_text)}</p>
            <A href="/min-sida" attr:class="button">{t!(i18n, go_to_my_page)}</A>
        </section>
    }
}
