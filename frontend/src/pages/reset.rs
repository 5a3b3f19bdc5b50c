//! "Glömt lösenord": a reset code by email, then a new password with that code.

use incert_client::contract::auth::{PasswordResetConfirmation, PasswordResetRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::password_strength::{NewPasswordFields, PasswordRequirements};
use crate::components::{ErrorBanner, TextField, focus_later};
use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Request,
    Confirm { code_valid_minutes: u32 },
    Done,
}

#[component]
pub fn ForgotPassword() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, &["email", "code", "new_password"], |_| None);
    let email = RwSignal::new(String::new());
    let code = RwSignal::new(String::new());
    let new_password = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let step = RwSignal::new(Step::Request);
    let pending = RwSignal::new(false);

    let user_inputs = Signal::derive(move || vec![email.get()]);

    let send = move || match step.get_untracked() {
        Step::Request => {
            let request = PasswordResetRequest {
                email: email.get_untracked().trim().to_owned(),
            };
            pending.set(true);
            spawn_local(async move {
                let result = match session.anonymous_client() {
                    Ok(client) => client.request_password_reset(&request).await,
                    Err(error) => Err(error),
                };
                if let Some(accepted) = errors.record(result) {
                    step.set(Step::Confirm {
                        code_valid_minutes: accepted.code_valid_minutes,
                    });
                    focus_later("reset-code");
                }
                pending.set(false);
            });
        }
        Step::Confirm { .. } => {
            if new_password.get_untracked() != again.get_untracked() {
                return;
            }
            let request = PasswordResetConfirmation {
                email: email.get_untracked().trim().to_owned(),
                code: code.get_untracked().trim().to_owned(),
                new_password: new_password.get_untracked(),
            };
            pending.set(true);
            spawn_local(async move {
                let result = match session.anonymous_client() {
                    Ok(client) => client.confirm_password_reset(&request).await,
                    Err(error) => Err(error),
                };
                if errors.record(result).is_some() {
                    step.set(Step::Done);
                }
                pending.set(false);
            });
        }
        Step::Done => {}
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };

    view! {
        <h1>{t!(i18n, reset_title)}</h1>
        {move || match step.get() {
            Step::Done => view! {
                <section class="card" aria-live="polite">
                    <p>{t!(i18n, reset_done)}</p>
                    <A href="/logga-in" attr:class="button">{t!(i18n, go_to_login)}</A>
                </section>
            }.into_any(),
            Step::Request => view! {
                <p>{t!(i18n, reset_intro)}</p>
                <form class="form" on:submit=on_submit novalidate>
                    <TextField
                        id="reset-email"
                        name="email"
                        label=t!(i18n, email_label)
                        value=email
                        errors=errors
                        input_type="email"
                        autocomplete="username"
                        required=true
                    />
                    <ErrorBanner errors=errors on_retry=Callback::new(move |()| send())/>
                    <button type="submit" disabled=move || pending.get()>
                        {t!(i18n, reset_send_code)}
                    </button>
                </form>
            }.into_any(),
            Step::Confirm { code_valid_minutes } => view! {
                <p aria-live="polite" class="notice">
                    {t!(i18n, reset_code_sent, minutes = code_valid_minutes)}
                </p>
                <div class="two-columns">
                    <form class="form" on:submit=on_submit novalidate>
                        <TextField
                            id="reset-code"
                            name="code"
                            label=t!(i18n, reset_code_label)
                            value=code
                            errors=errors
                            inputmode="numeric"
                            autocomplete="one-time-code"
                            required=true
                        />
                        <NewPasswordFields
                            new_id="reset-new-password"
                            again_id="reset-again"
                            new_password=new_password
                            again=again
                            errors=errors
                            user_inputs=user_inputs
                        />
                        <ErrorBanner errors=errors on_retry=Callback::new(move |()| send())/>
                        <button type="submit" disabled=move || pending.get()>
                            {t!(i18n, reset_confirm)}
                        </button>
                    </form>
                    <PasswordRequirements/>
                </div>
            }.into_any(),
        }}
    }
}
