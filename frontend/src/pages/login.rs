//! "Logga in": email and password, then the emailed one-time code ("Engångskod"), or a
//! login with BankID.

use incert_client::ErrorCode;
use incert_client::contract::auth::{AccessScope, LoginChallenge, LoginCodeRequest, LoginRequest};
use incert_client::contract::bankid::{BankIdDevice, BankIdLoginRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};

use crate::components::{ErrorBanner, TextField, focus_later};
use crate::i18n::{t, use_i18n};
use crate::pages::bankid::{BankIdDeviceButtons, BankIdPurpose, BankIdSigning, resume};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn Login() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, &["email", "password"], |_| None);
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let challenge = RwSignal::new(None::<LoginChallenge>);
    // A BankID order that this tab followed before the page was reloaded, as Safari on iOS
    // does when the BankID app returns to it, goes on where it was.
    let bankid_order = RwSignal::new(
        resume::remembered_order(BankIdPurpose::Login)
            .map(|order_id| (order_id, BankIdDevice::ThisDevice)),
    );
    let bankid_errors = FormErrors::banner_only(i18n);
    let pending = RwSignal::new(false);

    let send = move || {
        let request = LoginRequest {
            email: email.get_untracked().trim().to_owned(),
            password: password.get_untracked(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.login(&request).await,
                Err(error) => Err(error),
            };
            if let Some(started) = errors.record(result) {
                password.set(String::new());
                challenge.set(Some(started));
                focus_later("login-code");
            }
            pending.set(false);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };
    let restart = Callback::new(move |()| {
        challenge.set(None);
        errors.clear();
        focus_later("login-email");
    });

    let start_bankid = move |device: BankIdDevice| {
        let request = BankIdLoginRequest { device };
        pending.set(true);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.start_bankid_login(&request).await,
                Err(error) => Err(error),
            };
            if let Some(started) = bankid_errors.record(result) {
                bankid_order.set(Some((started.id, device)));
            }
            pending.set(false);
        });
    };
    let restart_bankid = Callback::new(move |()| bankid_order.set(None));

    view! {
        {move || match (challenge.get(), bankid_order.get()) {
            (Some(started), _) => view! {
                <CodeStep challenge=started email=email.get_untracked() on_restart=restart/>
            }.into_any(),
            (None, Some((order_id, device))) => view! {
                <h1>{t!(i18n, login_title)}</h1>
                <BankIdSigning
                    order_id=order_id
                    device=device
                    purpose=BankIdPurpose::Login
                    on_restart=restart_bankid
                />
            }.into_any(),
            (None, None) => view! {
                <h1>{t!(i18n, login_title)}</h1>
                <p>{t!(i18n, login_intro)}</p>
                <form class="form" on:submit=on_submit novalidate>
                    <TextField
                        id="login-email"
                        name="email"
                        label=t!(i18n, email_label)
                        value=email
                        errors=errors
                        input_type="email"
                        autocomplete="username"
                        required=true
                    />
                    <TextField
                        id="login-password"
                        name="password"
                        label=t!(i18n, password_label)
                        value=password
                        errors=errors
                        input_type="password"
                        autocomplete="current-password"
                        required=true
                    />
                    <ErrorBanner errors=errors on_retry=Callback::new(move |()| send())/>
                    <button type="submit" disabled=move || pending.get()>
                        {t!(i18n, login_button)}
                    </button>
                </form>
                <p><A href="/glomt-losenord">{t!(i18n, forgot_password_link)}</A></p>
                <p>
                    {t!(i18n, no_account_text)} " "
                    <A href="/registrera">{t!(i18n, nav_register)}</A>
                </p>
                <section class="card bankid" aria-labelledby="bankid-login-title">
                    <h2 id="bankid-login-title">{t!(i18n, bankid_login_title)}</h2>
                    <p>{t!(i18n, bankid_login_intro)}</p>
                    <BankIdDeviceButtons
                        disabled=pending
                        on_start=Callback::new(start_bankid)
                    />
                    <ErrorBanner errors=bankid_errors/>
                </section>
            }.into_any(),
        }}
    }
}

/// Renders the "Engångskod" screen, where the person enters the emailed code and can ask for
/// a new one after the cooldown.
#[component]
fn CodeStep(challenge: LoginChallenge, email: String, on_restart: Callback<()>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let next_page = RwSignal::new(None::<&'static str>);
    let errors = FormErrors::new(i18n, &["code"], |code| {
        (code == ErrorCode::InvalidLoginCode).then_some("code")
    });
    let resend_errors = FormErrors::banner_only(i18n);
    let code = RwSignal::new(String::new());
    let challenge = RwSignal::new(challenge);
    let pending = RwSignal::new(false);
    let resent = RwSignal::new(false);
    let now_ms = RwSignal::new(js_sys::Date::now());
    if let Ok(handle) = set_interval_with_handle(
        move || now_ms.set(js_sys::Date::now()),
        std::time::Duration::from_secs(1),
    ) {
        on_cleanup(move || handle.clear());
    }
    let resend_wait_seconds = move || {
        let available =
            challenge.with(|challenge| challenge.resend_available_at.timestamp_millis());
        let remaining_ms = available as f64 - now_ms.get();
        (remaining_ms > 0.0).then(|| (remaining_ms / 1000.0).ceil() as u64)
    };

    let submit = move || {
        let challenge_id = challenge.get_untracked().challenge_id;
        let request = LoginCodeRequest {
            code: code.get_untracked().trim().to_owned(),
            include_refresh_token: false,
        };
        pending.set(true);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.submit_login_code(&challenge_id, &request).await,
                Err(error) => Err(error),
            };
            pending.set(false);
            let Some(tokens) = errors.record(result) else {
                return;
            };
            let scope = tokens.scope;
            session.start(tokens);
            if scope == AccessScope::PasswordChange {
                next_page.set(Some("/andra-losenord"));
            } else {
                // Min Sida loads what it misses, so a failure here only delays it.
                let _ = session.load_me().await;
                next_page.set(Some("/min-sida"));
            }
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        submit();
    };
    let resend = move |_| {
        let challenge_id = challenge.get_untracked().challenge_id;
        resent.set(false);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.resend_login_code(&challenge_id).await,
                Err(error) => Err(error),
            };
            if let Some(renewed) = resend_errors.record(result) {
                challenge.set(renewed);
                resent.set(true);
                errors.clear();
            }
        });
    };

    view! {
        {move || next_page.get().map(|path| view! { <Redirect path=path/> })}
        <h1>{t!(i18n, code_title)}</h1>
        <p aria-live="polite">{t!(i18n, code_sent_text, email)}</p>
        <p>{t!(i18n, spam_folder_hint)}</p>
        <form class="form" on:submit=on_submit novalidate>
            <TextField
                id="login-code"
                name="code"
                label=t!(i18n, code_label)
                hint=t!(i18n, code_hint)
                value=code
                errors=errors
                inputmode="numeric"
                autocomplete="one-time-code"
                required=true
            />
            <ErrorBanner errors=errors on_retry=Callback::new(move |()| submit())/>
            <button type="submit" disabled=move || pending.get()>
                {t!(i18n, login_button)}
            </button>
        </form>
        <div class="resend">
            <p aria-live="polite" class="status">
                {move || resent.get().then_some(t!(i18n, code_resent))}
            </p>
            <button
                type="button"
                class="secondary"
                disabled=move || resend_wait_seconds().is_some()
                on:click=resend
            >
                {t!(i18n, resend_code)}
            </button>
            <p class="hint">
                {move || resend_wait_seconds().map(|seconds| t!(i18n, resend_wait, seconds))}
            </p>
            <ErrorBanner errors=resend_errors/>
            <button type="button" class="link-button" on:click=move |_| on_restart.run(())>
                {t!(i18n, start_over)}
            </button>
        </div>
    }
}
