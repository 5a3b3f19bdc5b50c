//! The certificate list of Min Sida, with search, grouping and PDF download, and the list of
//! applications.

use incert_client::contract::certification::{
    Application, ApplicationState, CertificateGrouping, CertificateList, CertificateQuery,
    CertificateRow,
};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;
use wasm_bindgen::JsCast;

use crate::components::ErrorBanner;
use crate::components::loaded::loaded;
use crate::i18n::{t, use_i18n};
use crate::language::{I18n, application_state_text, certificate_status_text, localized};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

#[component]
pub fn Certificates() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let search = RwSignal::new(String::new());
    let submitted_search = RwSignal::new(String::new());
    let grouping = RwSignal::new(CertificateGrouping::None);
    let download_errors = FormErrors::banner_only(i18n);

    let list = LocalResource::new(move || {
        let query = CertificateQuery {
            q: Some(submitted_search.get()),
            group_by: grouping.get(),
        };
        // Reading the locale loads the list again after a language switch, because the server
        // names certificates and groups in the request's language.
        i18n.get_locale();
        async move {
            session
                .call(|client| {
                    let query = query.clone();
                    async move { client.certificates(&query).await }
                })
                .await
        }
    });

    let on_search = move |event: SubmitEvent| {
        event.prevent_default();
        submitted_search.set(search.get_untracked());
    };
    let on_group = move |event: leptos::ev::Event| {
        grouping.set(match event_target_value(&event).as_str() {
            "technical_area" => CertificateGrouping::TechnicalArea,
            "status" => CertificateGrouping::Status,
            _ => CertificateGrouping::None,
        });
    };
    let download = move |number: String| {
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let number = number.clone();
                    async move { client.certificate_pdf(&number).await }
                })
                .await;
            if let Some(bytes) = download_errors.record(result) {
                save_pdf(&bytes, &format!("{number}.pdf"));
            }
        });
    };

    let render = move |list: CertificateList| {
        let grouped = list.grouping != CertificateGrouping::None;
        view! {
            <p class="hits" aria-live="polite">{hits(i18n, list.total)}</p>
            {(list.total == 0).then(|| view! { <p>{t!(i18n, no_certificates)}</p> })}
            {list.groups.into_iter().filter(|group| !group.certificates.is_empty()).map(|group| {
                view! {
                    {grouped.then(|| view! { <h3>{group.title.clone()}</h3> })}
                    <div class="table-scroll">
                        <table class="certificates">
                            <thead>
                                <tr>
                                    <th scope="col">{t!(i18n, column_number)}</th>
                                    <th scope="col">{t!(i18n, column_certificate)}</th>
                                    <th scope="col">{t!(i18n, column_status)}</th>
                                    <th scope="col">{t!(i18n, column_annual_renewal)}</th>
                                    <th scope="col">{t!(i18n, column_recertification)}</th>
                                    <th scope="col">{t!(i18n, column_document)}</th>
                                </tr>
                            </thead>
                            <tbody>
                                {group.certificates.into_iter().map(|row| {
                                    let number = row.number.clone();
                                    let label_number = row.number.clone();
                                    let status = row.status;
                                    let dates = date_cells(i18n, &row);
                                    view! {
                                        <tr>
                                            <td>{row.number.clone()}</td>
                                            <td>{row.certificate}</td>
                                            <td>{move || certificate_status_text(i18n.get_locale(), status)}</td>
                                            {dates}
                                            <td>
                                                // Screen readers read the hidden text, which
                                                // names the certificate. It is no aria-label
                                                // because t_string! cannot fill in the number.
                                                <button
                                                    type="button"
                                                    class="link-button"
                                                    on:click=move |_| download(number.clone())
                                                >
                                                    <span aria-hidden="true">"PDF"</span>
                                                    <span class="visually-hidden">
                                                        {t!(i18n, download_pdf, number = label_number)}
                                                    </span>
                                                </button>
                                            </td>
                                        </tr>
                                    }
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            }).collect_view()}
        }
    };

    view! {
        <section class="card wide" aria-labelledby="certificates-title">
            <h2 id="certificates-title">{t!(i18n, certificates_title)}</h2>
            <div class="toolbar">
                <form class="search" role="search" on:submit=on_search>
                    <label for="certificate-search">{t!(i18n, search_label)}</label>
                    <input id="certificate-search" type="search" bind:value=search/>
                    <button type="submit" class="secondary">{t!(i18n, search_button)}</button>
                </form>
                <div class="group-by">
                    <label for="certificate-grouping">{t!(i18n, group_by_label)}</label>
                    <select id="certificate-grouping" on:change=on_group>
                        <option value="none">{t!(i18n, group_none)}</option>
                        <option value="technical_area">{t!(i18n, group_technical_area)}</option>
                        <option value="status">{t!(i18n, group_status)}</option>
                    </select>
                </div>
                <A href="/min-sida/ansok" attr:class="button">{t!(i18n, apply_button)}</A>
            </div>
            <p class="hint">{t!(i18n, centre_enrolment_note)}</p>
            {loaded(list, render)}
            <ErrorBanner errors=download_errors/>
        </section>
    }
}

/// Renders the annual renewal and recertification cells of a row. A replaced certificate gets
/// one cell across both columns that names the certificate that replaced it, because neither
/// of its own dates is due any more.
fn date_cells(i18n: I18n, row: &CertificateRow) -> AnyView {
    if let (Some(number), Some(replaced_on)) =
        (row.replaced_by_certificate.clone(), row.replaced_on)
    {
        let date = replaced_on.to_string();
        return view! {
            <td colspan="2" class="replaced">{t!(i18n, replaced_by, number = number, date = date)}</td>
        }
        .into_any();
    }
    let renewal = row
        .annual_renewal
        .map(|date| date.to_string())
        .unwrap_or_else(|| "–".to_owned());
    let recertification = row.recertification.to_string();
    view! {
        <td>{renewal}</td>
        <td>{recertification}</td>
    }
    .into_any()
}

/// Renders the number of certificates that the search found.
fn hits(i18n: I18n, count: u32) -> impl IntoView {
    if count == 1 {
        t!(i18n, hits_exactly_one).into_any()
    } else {
        t!(i18n, hits, count).into_any()
    }
}

/// Offers `bytes` as a download named `file_name`, through a temporary object URL. The PDF
/// endpoint needs the access token, so a plain link to it would not work.
fn save_pdf(bytes: &[u8], file_name: &str) {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/pdf");
    let Ok(blob) = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let anchor = web_sys::window()
        .and_then(|window| window.document())
        .and_then(|document| document.create_element("a").ok())
        .and_then(|element| element.dyn_into::<web_sys::HtmlAnchorElement>().ok());
    if let Some(anchor) = anchor {
        anchor.set_href(&url);
        anchor.set_download(file_name);
        anchor.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Returns whether the person can still withdraw an application in `state`.
fn is_open(state: ApplicationState) -> bool {
    matches!(
        state,
        ApplicationState::Received | ApplicationState::InReview | ApplicationState::AwaitingExam
    )
}

#[component]
pub fn Applications() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::banner_only(i18n);
    let applications = LocalResource::new(move || async move {
        session
            .call(|client| async move { client.applications().await })
            .await
    });
    let withdraw = move |id: String| {
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let id = id.clone();
                    async move { client.withdraw_application(&id).await }
                })
                .await;
            if errors.record(result).is_some() {
                applications.refetch();
            }
        });
    };

    let render = move |list: Vec<Application>| {
        if list.is_empty() {
            return view! { <p>{t!(i18n, no_applications)}</p> }.into_any();
        }
        view! {
            <div class="table-scroll">
                <table class="applications">
                    <thead>
                        <tr>
                            <th scope="col">{t!(i18n, certificate_type_label)}</th>
                            <th scope="col">{t!(i18n, column_status)}</th>
                            <th scope="col">{t!(i18n, column_created)}</th>
                            <th scope="col">{t!(i18n, column_number)}</th>
                            <th scope="col"><span class="visually-hidden">{t!(i18n, withdraw)}</span></th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|application| {
                            let name = application.certificate_type_name.clone();
                            let state = application.state;
                            let id = application.id.clone();
                            view! {
                                <tr>
                                    <td>{move || localized(&name, i18n.get_locale())}</td>
                                    <td class="state">{move || application_state_text(i18n.get_locale(), state)}</td>
                                    <td>{application.created_at.format("%Y-%m-%d").to_string()}</td>
                                    <td>{application.certificate_number.clone().unwrap_or_default()}</td>
                                    <td>
                                        {is_open(state).then(|| view! {
                                            <button type="button" class="secondary" on:click=move |_| withdraw(id.clone())>
                                                {t!(i18n, withdraw)}
                                            </button>
                                        })}
                                    </td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };

    view! {
        <section class="card wide" aria-labelledby="applications-title">
            <h2 id="applications-title">{t!(i18n, applications_title)}</h2>
            {loaded(applications, render)}
            <ErrorBanner errors=errors/>
        </section>
    }
}
