//! "Min Sida": personal details, billing, certificates, applications and logged-in devices.

use incert_client::ErrorCode;
use incert_client::contract::account::{Billing, Me, SessionSummary};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::ErrorBanner;
use crate::components::loaded::loaded;
use crate::i18n::{t, t_string, use_i18n};
use crate::pages::certificates::{Applications, Certificates};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn MyPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let me = LocalResource::new(move || async move { session.load_me().await });

    view! {
        <h1>{t!(i18n, my_page_title)}</h1>
        <div class="cards">
            <section class="card" aria-labelledby="details-title">
                <h2 id="details-title">{t!(i18n, details_title)}</h2>
                {loaded(me, |me| view! { <Details me=me/> })}
                <A href="/min-sida/uppgifter" attr:class="button secondary">{t!(i18n, edit_details)}</A>
            </section>
            <section class="card" aria-labelledby="billing-title">
                <h2 id="billing-title">{t!(i18n, billing_title)}</h2>
                <BillingSummary/>
                <A href="/min-sida/fakturering" attr:class="button secondary">{t!(i18n, edit_billing)}</A>
            </section>
        </div>
        <Certificates/>
        <Applications/>
        <Sessions/>
    }
}

#[component]
fn Details(me: Me) -> impl IntoView {
    let i18n = use_i18n();
    let name = format!("{} {}", me.first_name, me.last_name);
    let identity = match (me.personnummer_masked, me.birth_date) {
        (Some(masked), _) => Some((true, masked)),
        (None, Some(birth_date)) => Some((false, birth_date)),
        (None, None) => None,
    };
    view! {
        <dl class="facts">
            <dt>{t!(i18n, name_label)}</dt>
            <dd id="details-name">{name}</dd>
            {identity.map(|(is_personnummer, value)| view! {
                <dt>{move || if is_personnummer {
                    t_string!(i18n, personnummer_label)
                } else {
                    t_string!(i18n, birth_date_label)
                }}</dt>
                <dd>{value}</dd>
            })}
            <dt>{t!(i18n, email_address_label)}</dt>
            <dd id="details-email">
                {me.email} " "
                <A href="/min-sida/e-post">{t!(i18n, change_email_link)}</A>
            </dd>
            {me.mobile.map(|mobile| view! {
                <dt>{t!(i18n, mobile_label)}</dt>
                <dd>{mobile}</dd>
            })}
        </dl>
    }
}

#[component]
fn BillingSummary() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let billing = LocalResource::new(move || async move {
        session
            .call(|client| async move { client.billing().await })
            .await
    });
    let render = move |billing: Billing| {
        let address = billing.address.map(|address| {
            let lines: Vec<String> = [
                address.organisation_name,
                address.organisation_number,
                address.reference,
                Some(address.street),
                Some(format!("{} {}", address.postal_code, address.city)),
                address.country,
            ]
            .into_iter()
            .flatten()
            .filter(|line| !line.trim().is_empty())
            .collect();
            view! {
                <address>
                    {lines.into_iter().map(|line| view! { <span>{line}</span><br/> }).collect_view()}
                </address>
            }
        });
        let invoice_by_email = billing.invoice_by_email;
        view! {
            <dl class="facts">
                <dt>{t!(i18n, invoice_by_email_label)}</dt>
                <dd>{move || if invoice_by_email { t_string!(i18n, yes) } else { t_string!(i18n, no) }}</dd>
                {billing.billing_email.map(|email| view! {
                    <dt>{t!(i18n, billing_email_label)}</dt>
                    <dd>{email}</dd>
                })}
            </dl>
            {match address {
                Some(address) => address.into_any(),
                None => view! { <p>{t!(i18n, no_billing_address)}</p> }.into_any(),
            }}
        }
    };
    loaded(billing, render)
}

/// Lists the person's open sessions, each with a logout button, and offers a logout of all
/// of them.
#[component]
fn Sessions() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::banner_only(i18n);
    let sessions = LocalResource::new(move || async move {
        session
            .call(|client| async move { client.sessions().await })
            .await
    });

    let revoke = move |id: String| {
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let id = id.clone();
                    async move { client.revoke_session(&id).await }
                })
                .await;
            if errors.record(result).is_some() {
                sessions.refetch();
            }
        });
    };
    let log_out_everywhere = move |_| {
        spawn_local(async move {
            let listed = session
                .call(|client| async move { client.sessions().await })
                .await;
            let Some(listed) = errors.record(listed) else {
                return;
            };
            for other in listed.iter().filter(|listed| !listed.current) {
                let id = other.id.clone();
                let result = session
                    .call(|client| {
                        let id = id.clone();
                        async move { client.revoke_session(&id).await }
                    })
                    .await;
                // A session that ended meanwhile, on another device, needs nothing more.
                let ended_meanwhile =
                    matches!(&result, Err(error) if error.code() == Some(ErrorCode::NotFound));
                if !ended_meanwhile && errors.record(result).is_none() {
                    return;
                }
            }
            // Ending the last session makes the page guard send the person to the login.
            session.log_out().await;
        });
    };

    let render = move |listed: Vec<SessionSummary>| {
        view! {
            <ul class="sessions">
                {listed.into_iter().map(|summary| {
                    let id = summary.id.clone();
                    let agent = summary.user_agent.clone().unwrap_or_default();
                    let started = summary.created_at.format("%Y-%m-%d %H:%M").to_string();
                    let last_used = summary.last_used_at.format("%Y-%m-%d %H:%M").to_string();
                    view! {
                        <li>
                            <p>
                                {summary.current.then(|| view! {
                                    <strong>{t!(i18n, session_this_device)} ". "</strong>
                                })}
                                <span class="agent">{agent}</span>
                            </p>
                            <p class="hint">
                                {t!(i18n, session_started)} " " {started.clone()} " UTC · "
                                {t!(i18n, session_last_used)} " " {last_used.clone()} " UTC"
                            </p>
                            {(!summary.current).then(|| view! {
                                <button type="button" class="secondary" on:click=move |_| revoke(id.clone())>
                                    {t!(i18n, session_log_out)}
                                </button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
        }
    };

    view! {
        <section class="card wide" aria-labelledby="sessions-title">
            <h2 id="sessions-title">{t!(i18n, sessions_title)}</h2>
            {loaded(sessions, render)}
            <ErrorBanner errors=errors/>
            <button type="button" class="secondary" on:click=log_out_everywhere>
                {t!(i18n, log_out_everywhere)}
            </button>
        </section>
    }
}
