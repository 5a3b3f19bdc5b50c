//! The BankID step of a registration with personnummer: QR code or launch link, the status
//! message for each hint code, and cancelling.

use std::time::Duration;

use incert_client::contract::bankid::{BankIdDevice, BankIdOrderState, BankIdOrderStatus};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::ErrorBanner;
use crate::components::qr::QrImage;
use crate::i18n::use_i18n;
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

/// Polling interval while the QR code shows: its content changes every second.
const QR_POLL_INTERVAL: Duration = Duration::from_secs(1);
/// Polling interval while the BankID app runs on this device.
const POLL_INTERVAL: Duration = Duration::from_secs(2);

/// Follows the BankID order `order_id` of a registration until it ends.
#[component]
pub fn BankIdSigning(
    order_id: String,
    device: BankIdDevice,
    /// Goes back to the form, such as after a cancelled or failed order.
    on_restart: Callback<()>,
) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::banner_only(i18n);
    let order = RwSignal::new(None::<BankIdOrderState>);
    let polling = StoredValue::new(false);
    let order_id = StoredValue::new(order_id);

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
                Ok(client) => client.registration_status(&id).await,
                Err(error) => Err(error),
            };
            if let Some(state) = errors.record(result) {
                order.set(Some(state));
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
                Ok(client) => client.cancel_registration(&id).await,
                Err(error) => Err(error),
            };
            if let Some(state) = errors.record(result) {
                order.set(Some(state));
            }
        });
    };

    let message = move || {
        let texts = i18n.t();
        order.with(|order| match order {
            None => texts.bankid_starting.to_owned(),
            Some(order) => match (&order.message, order.status) {
                (Some(message), _) => message.clone(),
                (None, BankIdOrderStatus::Cancelled) => texts.bankid_cancelled.to_owned(),
                (None, BankIdOrderStatus::Failed) => texts.bankid_failed.to_owned(),
                (None, BankIdOrderStatus::Complete) => texts.bankid_registered_text.to_owned(),
                (None, BankIdOrderStatus::Pending) => texts.bankid_starting.to_owned(),
            },
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
    let launch_link =
        move || order.with(|order| order.as_ref().and_then(|order| order.launch_link.clone()));

    view! {
        <section class="card bankid">
            <h2>{move || match status() {
                Some(BankIdOrderStatus::Complete) => i18n.t().bankid_registered_title,
                _ => i18n.t().bankid_heading,
            }}</h2>
            <p class="status" aria-live="polite" id="bankid-status">{message}</p>
            {move || (status() == Some(BankIdOrderStatus::Pending)).then(|| match device {
                BankIdDevice::OtherDevice => view! {
                    <p>{move || i18n.t().bankid_qr_help}</p>
                    <QrImage data=qr_data label=Signal::derive(move || i18n.t().bankid_qr_label)/>
                }.into_any(),
                BankIdDevice::ThisDevice => view! {
                    {move || launch_link().map(|link| view! {
                        <a class="button" href=link>{move || i18n.t().bankid_open_app}</a>
                    })}
                }.into_any(),
            })}
            <ErrorBanner errors=errors/>
            {move || match status() {
                Some(BankIdOrderStatus::Complete) => view! {
                    <p>{move || i18n.t().spam_folder_hint}</p>
                    <A href="/logga-in" attr:class="button">{move || i18n.t().go_to_login}</A>
                }.into_any(),
                Some(BankIdOrderStatus::Failed | BankIdOrderStatus::Cancelled) => view! {
                    <button type="button" on:click=move |_| on_restart.run(())>
                        {move || i18n.t().bankid_try_again}
                    </button>
                }.into_any(),
                _ => view! {
                    <button type="button" class="secondary" on:click=cancel>
                        {move || i18n.t().cancel}
                    </button>
                }.into_any(),
            }}
        </section>
    }
}
