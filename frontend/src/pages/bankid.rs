//! The BankID step of a registration with personnummer or of a login: QR code or launch
//! link, the status message for each hint code, and cancelling.

pub mod launch;
pub mod resume;

use std::time::Duration;

use incert_client::contract::auth::AccessScope;
use incert_client::contract::bankid::{
    BankIdDevice, BankIdOrderState, BankIdOrderStatus, BankIdTokenRequest,
};
use incert_client::{Client, ClientError};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{A, Redirect};

use crate::components::ErrorBanner;
use crate::components::qr::QrImage;
use crate::i18n::{Locale, t, t_string, td_string, use_i18n};
use crate::language::BankIdMessage;
use crate::state::errors::FormErrors;
use crate::state::session::{Session, use_session};

/// Polling interval while the QR code shows: its content changes every second.
const QR_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Polling interval while the BankID app runs on this device.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Purpose of a BankID order, which selects the API calls and the texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BankIdPurpose {
    /// A `sign` order that creates the account of a person with a personnummer.
    Registration,
    /// An `auth` order that logs in the person whose personnummer has an account.
    Login,
}

impl BankIdPurpose {
    async fn status(self, client: Client, id: &str) -> Result<BankIdOrderState, ClientError> {
        match self {
            Self::Registration => client.registration_status(id).await,
            Self::Login => client.bankid_login_status(id).await,
        }
    }

    async fn cancel(self, client: Client, id: &str) -> Result<BankIdOrderState, ClientError> {
        match self {
            Self::Registration => client.cancel_registration(id).await,
            Self::Login => client.cancel_bankid_login(id).await,
        }
    }

    fn heading(self, locale: Locale) -> &'static str {
        match self {
            Self::Registration => td_string!(locale, bankid_heading),
            Self::Login => td_string!(locale, bankid_login_title),
        }
    }
}

/// Renders the two ways to start BankID: "on this device" and "on another device".
#[component]
pub fn BankIdDeviceButtons(
    #[prop(into)] disabled: Signal<bool>,
    on_start: Callback<BankIdDevice>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="button-row">
            <button
                type="button"
                disabled=move || disabled.get()
                on:click=move |_| on_start.run(BankIdDevice::ThisDevice)
            >
                {t!(i18n, bankid_this_device)}
            </button>
            <button
                type="button"
                disabled=move || disabled.get()
                on:click=move |_| on_start.run(BankIdDevice::OtherDevice)
            >
                {t!(i18n, bankid_other_device)}
            </button>
        </div>
    }
}

/// Follows the BankID order `order_id` until it ends. A completed login order is exchanged
/// for tokens, and the page moves on to Min Sida or to "Ändra lösenord".
#[component]
pub fn BankIdSigning(
    order_id: String,
    device: BankIdDevice,
    purpose: BankIdPurpose,
    /// Goes back to the form, such as after a cancelled or failed order.
    on_restart: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::banner_only(i18n);
    let order = RwSignal::new(None::<BankIdOrderState>);
    let polling = StoredValue::new(false);
    let order_id = StoredValue::new(order_id);
    let next_page = RwSignal::new(None::<&'static str>);

    // An order on this device sends the person to the BankID app, which may reload the page
    // when it returns, so the order is remembered until it ends or the step closes.
    if device == BankIdDevice::ThisDevice {
        resume::remember_order(purpose, &order_id.get_value());
        on_cleanup(resume::forget_order);
    }

    let status = move || order.with(|order| order.as_ref().map(|order| order.status));
    let poll = move || {
        let ended = order.with_untracked(|order| {
            order
                .as_ref()
                .is_some_and(|order| order.status != BankIdOrderStatus::Pending)
        });
        if ended || polling.get_value() {
            return;
        }
        polling.set_value(true);
        let id = order_id.get_value();
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => purpose.status(client, &id).await,
                Err(error) => Err(error),
            };
            if let Some(state) = errors.record(result) {
                let complete = state.status == BankIdOrderStatus::Complete;
                if state.status != BankIdOrderStatus::Pending {
                    resume::forget_order();
                }
                order.set(Some(state));
                if complete
                    && purpose == BankIdPurpose::Login
                    && let Some(path) = open_session(session, errors, &id).await
                {
                    next_page.set(Some(path));
                }
            }
            polling.try_set_value(false);
        });
    };
    poll();
    let interval = match device {
        BankIdDevice::OtherDevice => QR_POLL_INTERVAL,
        BankIdDevice::ThisDevice => POLL_INTERVAL,
    };
    if let Ok(handle) = set_interval_with_handle(poll, interval) {
        on_cleanup(move || handle.clear());
    }

    let cancel = move |_| {
        let id = order_id.get_value();
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => purpose.cancel(client, &id).await,
                Err(error) => Err(error),
            };
            if let Some(state) = errors.record(result) {
                order.set(Some(state));
            }
        });
    };

    let message = move || {
        let locale = i18n.get_locale();
        order.with(|order| match order {
            None => td_string!(locale, bankid_starting).to_owned(),
            Some(order) => status_message(locale, purpose, order),
        })
    };
    let qr_data = Signal::derive(move || {
        order.with(|order| {
            order
                .as_ref()
                .and_then(|order| order.qr_data.clone())
                .unwrap_or_default()
        })
    });
    let launch_link = move || {
        order.with(|order| {
            order
                .as_ref()
                .and_then(|order| order.launch_link.as_deref())
                .map(launch::launch_link_for_page)
        })
    };

    view! {
        {move || next_page.get().map(|path| view! { <Redirect path=path/> })}
        <section class="card bankid">
            <h2>{move || match (purpose, status()) {
                (BankIdPurpose::Registration, Some(BankIdOrderStatus::Complete)) => {
                    t_string!(i18n, bankid_registered_title)
                }
                _ => purpose.heading(i18n.get_locale()),
            }}</h2>
            <p class="status" aria-live="polite" id="bankid-status">{message}</p>
            {move || (status() == Some(BankIdOrderStatus::Pending)).then(|| match device {
                BankIdDevice::OtherDevice => view! {
                    <p>{t!(i18n, bankid_qr_help)}</p>
                    <QrImage data=qr_data label=Signal::derive(move || t_string!(i18n, bankid_qr_label))/>
                }.into_any(),
                BankIdDevice::ThisDevice => view! {
                    {move || launch_link().map(|link| view! {
                        <a class="button" href=link>{t!(i18n, bankid_open_app)}</a>
                    })}
                }.into_any(),
            })}
            <ErrorBanner errors=errors/>
            {move || match (purpose, status()) {
                (BankIdPurpose::Registration, Some(BankIdOrderStatus::Complete)) => view! {
                    <p>{t!(i18n, spam_folder_hint)}</p>
                    <A href="/logga-in" attr:class="button">{t!(i18n, go_to_login)}</A>
                }.into_any(),
                (BankIdPurpose::Login, Some(BankIdOrderStatus::Complete)) => ().into_any(),
                (_, Some(BankIdOrderStatus::Failed | BankIdOrderStatus::Cancelled)) => view! {
                    <button type="button" on:click=move |_| on_restart.run(())>
                        {t!(i18n, bankid_try_again)}
                    </button>
                }.into_any(),
                _ => view! {
                    <button type="button" class="secondary" on:click=cancel>
                        {t!(i18n, cancel)}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}

/// Returns the text to show for `order`: the portal's own reason for a failure first, then
/// BankID's recommended message, then a text for a completed order.
///
/// The API sends the recommended message in the language of the request with its number, and
/// the app shows its own text for that number so that the text follows a language switch. A
/// message whose number has no text in the app is shown as the API sent it.
fn status_message(locale: Locale, purpose: BankIdPurpose, order: &BankIdOrderState) -> String {
    let failure = order.failure_code.as_deref().and_then(|code| match code {
        "bankid_no_account" => Some(td_string!(locale, bankid_no_account)),
        "bankid_personnummer_mismatch" => Some(td_string!(locale, bankid_personnummer_mismatch)),
        _ => None,
    });
    if let Some(text) = failure {
        return text.to_owned();
    }

    let recommended = order
        .message_code
        .as_deref()
        .and_then(BankIdMessage::from_code);
    if let Some(message) = recommended {
        return message.text(locale).to_owned();
    }
    if let Some(sent) = &order.message {
        return sent.clone();
    }

    let text = match purpose {
        BankIdPurpose::Registration => td_string!(locale, bankid_registered_text),
        BankIdPurpose::Login => td_string!(locale, loading),
    };
    text.to_owned()
}

/// Exchanges the completed login order `id` for tokens and returns the page to go to next.
async fn open_session(session: Session, errors: FormErrors, id: &str) -> Option<&'static str> {
    let result = match session.anonymous_client() {
        Ok(client) => {
            client
                .bankid_login_tokens(id, &BankIdTokenRequest::default())
                .await
        }
        Err(error) => Err(error),
    };
    let tokens = errors.record(result)?;
    let scope = tokens.scope;
    session.start(tokens);
    if scope == AccessScope::PasswordChange {
        return Some("/andra-losenord");
    }
    // Min Sida loads what it misses, so a failure here only delays it.
    let _ = session.load_me().await;
    Some("/min-sida")
}
