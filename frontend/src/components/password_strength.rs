//! The password requirements box and the strength meter of a new password.

use std::time::Duration;

use incert_client::contract::password::{PasswordCheckRequest, PasswordCheckResponse};
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::TextField;
use crate::i18n::{Locale, t, td_string, use_i18n};
use crate::language::field_error_text;
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

/// Wait after the last keystroke before the password is sent for a check, so that typing
/// sends one request instead of one per character.
const CHECK_DELAY: Duration = Duration::from_millis(300);

/// Lists the requirements of the policy from `GET /api/v1/password-policy`.
#[component]
pub fn PasswordRequirements() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let policy =
        LocalResource::new(
            move || async move { session.anonymous_client()?.password_policy().await },
        );

    view! {
        <section class="requirements" aria-labelledby="password-requirements-title">
            <h2 id="password-requirements-title">{t!(i18n, requirements_title)}</h2>
            {move || match policy.get() {
                Some(Ok(rules)) => {
                    let min = rules.min_length;
                    let max = rules.max_length;
                    view! {
                        <ul>
                            <li>{t!(i18n, requirement_length, min, max)}</li>
                            {rules.requires_letter.then(|| view! {
                                <li>{t!(i18n, requirement_letter)}</li>
                            })}
                            {rules.requires_digit.then(|| view! {
                                <li>{t!(i18n, requirement_digit)}</li>
                            })}
                            {rules.rejects_common_passwords.then(|| view! {
                                <li>{t!(i18n, requirement_not_common)}</li>
                            })}
                        </ul>
                    }.into_any()
                }
                Some(Err(_)) => view! { <p>{t!(i18n, network_error)}</p> }.into_any(),
                None => view! { <p>{t!(i18n, loading)}</p> }.into_any(),
            }}
        </section>
    }
}

/// Checks `password` with `POST /api/v1/password-checks` while it is typed and shows the
/// server's strength estimate and the requirements it misses. `user_inputs` are words the
/// password should not be built from, such as the person's name.
#[component]
pub fn StrengthMeter(
    password: RwSignal<String>,
    #[prop(into)] user_inputs: Signal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let check = RwSignal::new(None::<PasswordCheckResponse>);
    let timer = StoredValue::new(None::<TimeoutHandle>);

    Effect::new(move |_| {
        let candidate = password.get();
        if let Some(previous) = timer.get_value() {
            previous.clear();
        }
        if candidate.is_empty() {
            check.set(None);
            return;
        }
        let send = move || {
            let request = PasswordCheckRequest {
                password: candidate,
                user_inputs: user_inputs.get_untracked(),
            };
            spawn_local(async move {
                let result = match session.anonymous_client() {
                    Ok(client) => client.check_password(&request).await,
                    Err(error) => Err(error),
                };
                // A failed check leaves the previous estimate; the change itself still
                // reports every broken rule.
                if let Ok(response) = result {
                    check.set(Some(response));
                }
            });
        };
        timer.set_value(set_timeout_with_handle(send, CHECK_DELAY).ok());
    });
    on_cleanup(move || {
        if let Some(pending) = timer.try_get_value().flatten() {
            pending.clear();
        }
    });

    view! {
        <div class="strength" aria-live="polite">
            {move || check.get().map(|response| {
                let locale = i18n.get_locale();
                let score = response.strength.score.min(4);
                let name = strength_name(locale, score);
                view! {
                    <label for="password-strength">{td_string!(locale, strength_label)}</label>
                    <meter
                        id="password-strength"
                        min="0"
                        max="4"
                        low="2"
                        high="3"
                        optimum="4"
                        value=score.to_string()
                    >{name}</meter>
                    <span class="strength-name">{name}</span>
                    <ul class="violations">
                        {response.violations.iter().map(|violation| {
                            let text = field_error_text(locale, violation)
                                .unwrap_or(violation.as_str())
                                .to_owned();
                            view! { <li>{text}</li> }
                        }).collect_view()}
                    </ul>
                }
            })}
        </div>
    }
}

/// Renders the new password, the strength meter and the new password again, as the password
/// change and the password reset ask for them. The second field shows when the two differ.
#[component]
pub fn NewPasswordFields(
    new_id: &'static str,
    again_id: &'static str,
    new_password: RwSignal<String>,
    again: RwSignal<String>,
    errors: FormErrors,
    #[prop(into)] user_inputs: Signal<Vec<String>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let differs = Signal::derive(move || {
        let again = again.get();
        (!again.is_empty() && again != new_password.get())
            .then(|| td_string!(i18n.get_locale(), passwords_differ))
    });

    view! {
        <TextField
            id=new_id
            name="new_password"
            label=t!(i18n, new_password_label)
            value=new_password
            errors=errors
            input_type="password"
            autocomplete="new-password"
            required=true
        />
        <StrengthMeter password=new_password user_inputs=user_inputs/>
        <TextField
            id=again_id
            name="new_password_again"
            label=t!(i18n, new_password_again_label)
            value=again
            errors=errors
            input_type="password"
            autocomplete="new-password"
            required=true
            local_error=differs
        />
    }
}

/// Returns the name of a strength score of the server's estimate, from 0 (very weak) to 4.
fn strength_name(locale: Locale, score: u8) -> &'static str {
    match score {
        0 => td_string!(locale, strength.very_weak),
        1 => td_string!(locale, strength.weak),
        2 => td_string!(locale, strength.fair),
        3 => td_string!(locale, strength.strong),
        _ => td_string!(locale, strength.very_strong),
    }
}
