//! "Ansök om nytt certifikat": technical area, then certificate type, then confirmation.

use incert_client::contract::certification::{
    ApplicationRequest, CertificateType, Price, TechnicalArea,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::loaded::loaded;
use crate::components::{ErrorBanner, focus_later};
use crate::i18n::{t, use_i18n};
use crate::language::{I18n, exam_part_text, localized};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn Apply() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let areas =
        LocalResource::new(
            move || async move { session.anonymous_client()?.technical_areas().await },
        );
    let render = move |areas: Vec<TechnicalArea>| view! { <ApplyForm areas=areas/> };

    view! {
        <h1>{t!(i18n, apply_title)}</h1>
        <p>{t!(i18n, apply_intro)}</p>
        {loaded(areas, render)}
        <p><A href="/min-sida">{t!(i18n, back)}</A></p>
    }
}

#[component]
fn ApplyForm(areas: Vec<TechnicalArea>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, &["certificate_type"], |_| None);
    let areas = StoredValue::new(areas);
    let area_code = RwSignal::new(None::<String>);
    let type_code = RwSignal::new(None::<String>);
    let confirming = RwSignal::new(false);
    let received = RwSignal::new(false);
    let pending = RwSignal::new(false);

    let chosen_type = move || -> Option<CertificateType> {
        let code = type_code.get()?;
        areas.with_value(|areas| {
            areas
                .iter()
                .flat_map(|area| area.certificate_types.iter())
                .find(|certificate_type| certificate_type.code == code)
                .cloned()
        })
    };
    let types_of_area = move || -> Vec<CertificateType> {
        let Some(code) = area_code.get() else {
            return Vec::new();
        };
        areas.with_value(|areas| {
            areas
                .iter()
                .find(|area| area.code == code)
                .map(|area| {
                    area.certificate_types
                        .iter()
                        .filter(|certificate_type| !certificate_type.retired)
                        .cloned()
                        .collect()
                })
                .unwrap_or_default()
        })
    };

    let send = move || {
        let Some(certificate_type) = type_code.get_untracked() else {
            return;
        };
        let request = ApplicationRequest {
            certificate_type,
            renews_certificate: None,
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let request = request.clone();
                    async move { client.apply(&request).await }
                })
                .await;
            if errors.record(result).is_some() {
                received.set(true);
            }
            pending.set(false);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        if confirming.get_untracked() {
            send();
        } else if type_code.get_untracked().is_some() {
            confirming.set(true);
            focus_later("apply-confirm");
        }
    };

    let area_choices = move || {
        let locale = i18n.get_locale();
        areas.with_value(|areas| {
            areas
                .iter()
                .map(|area| {
                    let code = area.code.clone();
                    let checked_code = code.clone();
                    let name = localized(&area.name, locale);
                    view! {
                        <label class="radio">
                            <input
                                type="radio"
                                name="technical_area"
                                value=code.clone()
                                prop:checked=move || area_code.get().as_deref() == Some(checked_code.as_str())
                                on:change=move |_| {
                                    area_code.set(Some(code.clone()));
                                    type_code.set(None);
                                    confirming.set(false);
                                    errors.clear();
                                }
                            />
                            {name}
                        </label>
                    }
                })
                .collect_view()
        })
    };
    let type_choices = move || {
        let locale = i18n.get_locale();
        types_of_area()
            .into_iter()
            .map(|certificate_type| {
                let code = certificate_type.code.clone();
                let checked_code = code.clone();
                let parts = certificate_type
                    .exam_parts
                    .iter()
                    .map(|part| exam_part_text(locale, *part))
                    .collect::<Vec<_>>()
                    .join(", ");
                view! {
                    <label class="radio">
                        <input
                            type="radio"
                            name="certificate_type"
                            value=code.clone()
                            prop:checked=move || type_code.get().as_deref() == Some(checked_code.as_str())
                            on:change=move |_| {
                                type_code.set(Some(code.clone()));
                                confirming.set(false);
                                errors.clear();
                            }
                        />
                        {localized(&certificate_type.name, locale)}
                        <span class="hint">
                            " – " {t!(i18n, exam_parts_label)} ": " {parts} ". "
                            {t!(i18n, price_label)} ": " {price_text(i18n, &certificate_type.price)}
                        </span>
                    </label>
                }
            })
            .collect_view()
    };

    view! {
        {move || if received.get() {
            view! {
                <section class="card" aria-live="polite">
                    <p class="notice">{t!(i18n, application_received)}</p>
                    <A href="/min-sida" attr:class="button">{t!(i18n, go_to_my_page)}</A>
                </section>
            }.into_any()
        } else {
            view! {
                <form class="form" on:submit=on_submit novalidate>
                    <fieldset class="choice">
                        <legend>{t!(i18n, technical_area_label)}</legend>
                        {area_choices}
                    </fieldset>
                    {move || area_code.get().is_some().then(|| view! {
                        <fieldset class="choice">
                            <legend>{t!(i18n, certificate_type_label)}</legend>
                            {type_choices}
                        </fieldset>
                    })}
                    {move || (confirming.get()).then(|| chosen_type().map(|chosen| {
                        let price = price_text(i18n, &chosen.price);
                        view! {
                            <section class="confirm" id="apply-confirm" tabindex="-1">
                                <h2>{t!(i18n, confirm_application_title)}</h2>
                                <p>
                                    <strong>{move || localized(&chosen.name, i18n.get_locale())}</strong>
                                    " – " {price}
                                </p>
                            </section>
                        }
                    }))}
                    <ErrorBanner errors=errors on_retry=Callback::new(move |()| send())/>
                    <button type="submit" disabled=move || pending.get() || type_code.get().is_none()>
                        {move || if confirming.get() {
                            t!(i18n, send_application).into_any()
                        } else {
                            t!(i18n, continue_button).into_any()
                        }}
                    </button>
                </form>
            }.into_any()
        }}
    }
}

/// Renders a price, marked as a sample price when the catalogue's price is one.
fn price_text(i18n: I18n, price: &Price) -> impl IntoView + use<> {
    let amount = price.amount_sek;
    if price.demo {
        t!(i18n, price_sample, amount).into_any()
    } else {
        t!(i18n, price, amount).into_any()
    }
}
