//! "Registrera personkonto": with a Swedish personnummer and BankID, or with email and birth
//! date for other citizenships.

use incert_client::ErrorCode;
use incert_client::contract::auth::OtherRegistrationRequest;
use incert_client::contract::bankid::{BankIdDevice, SwedishRegistrationRequest};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::A;

use crate::components::{ErrorBanner, TextField, focus_later};
use crate::i18n::{t, use_i18n};
use crate::language::{field_error_text, preferred_language};
use crate::pages::bankid::{BankIdDeviceButtons, BankIdPurpose, BankIdSigning, resume};
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

/// API names of the registration inputs.
const FIELDS: &[&str] = &[
    "personnummer",
    "email",
    "birth_date",
    "first_name",
    "last_name",
    "mobile",
];

/// Calling codes offered in front of the mobile number.
const COUNTRY_CODES: &[(&str, &str)] = &[
    ("+46", "SE"),
    ("+47", "NO"),
    ("+45", "DK"),
    ("+358", "FI"),
    ("+354", "IS"),
    ("+49", "DE"),
    ("+48", "PL"),
    ("+44", "GB"),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Citizenship {
    Swedish,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    /// Citizenship and the identifying field: personnummer or email.
    Identify,
    /// The remaining details.
    Details,
    /// Other citizenship: the account is created and the first password emailed.
    Sent { email: String },
    /// Swedish citizenship: the BankID order `order_id` confirms the registration.
    Signing {
        order_id: String,
        device: BankIdDevice,
    },
}

/// The registration form's values.
#[derive(Debug, Clone, Copy)]
struct Inputs {
    personnummer: RwSignal<String>,
    email: RwSignal<String>,
    birth_date: RwSignal<String>,
    first_name: RwSignal<String>,
    last_name: RwSignal<String>,
    country_code: RwSignal<String>,
    mobile: RwSignal<String>,
}

impl Inputs {
    fn new() -> Self {
        Self {
            personnummer: RwSignal::new(String::new()),
            email: RwSignal::new(String::new()),
            birth_date: RwSignal::new(String::new()),
            first_name: RwSignal::new(String::new()),
            last_name: RwSignal::new(String::new()),
            country_code: RwSignal::new("+46".to_owned()),
            mobile: RwSignal::new(String::new()),
        }
    }

    /// Returns the mobile number with its calling code, or `None` when none was entered. A
    /// number typed with its own `+` code is sent as typed.
    fn full_mobile(&self) -> Option<String> {
        let number = self.mobile.get_untracked().trim().to_owned();
        if number.is_empty() {
            return None;
        }
        if number.starts_with('+') {
            return Some(number);
        }
        let national = number.trim_start_matches('0');
        Some(format!("{}{national}", self.country_code.get_untracked()))
    }
}

#[component]
pub fn Register() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, FIELDS, |code| {
        (code == ErrorCode::EmailTaken).then_some("email")
    });
    // A BankID order that this tab followed before the page was reloaded, as Safari on iOS
    // does when the BankID app returns to it, goes on where it was.
    let resumed = resume::remembered_order(BankIdPurpose::Registration);
    let citizenship = RwSignal::new(resumed.is_some().then_some(Citizenship::Swedish));
    let step = RwSignal::new(match resumed {
        Some(order_id) => Step::Signing {
            order_id,
            device: BankIdDevice::ThisDevice,
        },
        None => Step::Identify,
    });
    let inputs = Inputs::new();
    let pending = RwSignal::new(false);
    let last_device = RwSignal::new(BankIdDevice::ThisDevice);
    let missing_identifier = RwSignal::new(false);

    let identifier_error = Signal::derive(move || {
        missing_identifier
            .get()
            .then(|| field_error_text(i18n.get_locale(), "required"))
            .flatten()
    });

    let create_other = move || {
        let request = OtherRegistrationRequest {
            email: inputs.email.get_untracked().trim().to_owned(),
            birth_date: inputs.birth_date.get_untracked().trim().to_owned(),
            first_name: inputs.first_name.get_untracked(),
            last_name: inputs.last_name.get_untracked(),
            mobile: inputs.full_mobile(),
            language: Some(preferred_language(i18n.get_locale_untracked())),
        };
        pending.set(true);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.register_other(&request).await,
                Err(error) => Err(error),
            };
            if errors.record(result).is_some() {
                step.set(Step::Sent {
                    email: request.email,
                });
            }
            pending.set(false);
        });
    };

    let start_bankid = move |device: BankIdDevice| {
        let request = SwedishRegistrationRequest {
            personnummer: inputs.personnummer.get_untracked().trim().to_owned(),
            first_name: inputs.first_name.get_untracked(),
            last_name: inputs.last_name.get_untracked(),
            email: inputs.email.get_untracked().trim().to_owned(),
            mobile: inputs.full_mobile(),
            language: Some(preferred_language(i18n.get_locale_untracked())),
            device,
        };
        last_device.set(device);
        pending.set(true);
        spawn_local(async move {
            let result = match session.anonymous_client() {
                Ok(client) => client.register_swedish(&request).await,
                Err(error) => Err(error),
            };
            if let Some(started) = errors.record(result) {
                step.set(Step::Signing {
                    order_id: started.id,
                    device,
                });
            }
            pending.set(false);
        });
    };

    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        match (step.get_untracked(), citizenship.get_untracked()) {
            (Step::Identify, Some(choice)) => {
                let identifier = match choice {
                    Citizenship::Swedish => inputs.personnummer,
                    Citizenship::Other => inputs.email,
                };
                let missing = identifier.get_untracked().trim().is_empty();
                missing_identifier.set(missing);
                if !missing {
                    step.set(Step::Details);
                    focus_later(match choice {
                        Citizenship::Swedish => "register-first-name",
                        Citizenship::Other => "register-birth-date",
                    });
                }
            }
            (Step::Details, Some(Citizenship::Other)) => create_other(),
            // The Swedish form is sent with one of the two BankID buttons.
            (Step::Details, Some(Citizenship::Swedish)) => start_bankid(BankIdDevice::ThisDevice),
            _ => {}
        }
    };
    let retry = Callback::new(move |()| match citizenship.get_untracked() {
        Some(Citizenship::Other) => create_other(),
        Some(Citizenship::Swedish) => start_bankid(last_device.get_untracked()),
        None => {}
    });
    let choose = move |choice: Citizenship| {
        citizenship.set(Some(choice));
        step.set(Step::Identify);
        missing_identifier.set(false);
        errors.clear();
    };

    let form = move || {
        view! {
            <form class="form" on:submit=on_submit novalidate>
                <fieldset class="choice">
                    <legend>
                        {t!(i18n, citizenship_label)}
                        <span class="hint">" – " {t!(i18n, citizenship_hint)}</span>
                    </legend>
                    <label class="radio">
                        <input
                            type="radio"
                            name="citizenship"
                            value="swedish"
                            prop:checked=move || citizenship.get() == Some(Citizenship::Swedish)
                            on:change=move |_| choose(Citizenship::Swedish)
                        />
                        {t!(i18n, citizenship_swedish)}
                        <span class="hint">" (" {t!(i18n, citizenship_swedish_hint)} ")"</span>
                    </label>
                    <label class="radio">
                        <input
                            type="radio"
                            name="citizenship"
                            value="other"
                            prop:checked=move || citizenship.get() == Some(Citizenship::Other)
                            on:change=move |_| choose(Citizenship::Other)
                        />
                        {t!(i18n, citizenship_other)}
                        <span class="hint">" (" {t!(i18n, citizenship_other_hint)} ")"</span>
                    </label>
                </fieldset>

                {move || match citizenship.get() {
                    Some(Citizenship::Swedish) => view! {
                        <TextField
                            id="register-personnummer"
                            name="personnummer"
                            label=t!(i18n, personnummer_label)
                            hint=t!(i18n, personnummer_hint)
                            value=inputs.personnummer
                            errors=errors
                            inputmode="numeric"
                            required=true
                            local_error=identifier_error
                        />
                    }.into_any(),
                    Some(Citizenship::Other) => view! {
                        <TextField
                            id="register-email"
                            name="email"
                            label=t!(i18n, email_label)
                            hint=t!(i18n, email_hint)
                            value=inputs.email
                            errors=errors
                            input_type="email"
                            autocomplete="email"
                            required=true
                            local_error=identifier_error
                        />
                    }.into_any(),
                    None => ().into_any(),
                }}

                {move || (step.get() == Step::Details).then(|| details(
                    citizenship.get().unwrap_or(Citizenship::Other),
                    inputs,
                    errors,
                    pending,
                    start_bankid,
                ))}

                <ErrorBanner errors=errors on_retry=retry/>

                {move || (step.get() == Step::Identify && citizenship.get().is_some()).then(|| view! {
                    <button type="submit">{t!(i18n, continue_button)}</button>
                })}
            </form>
        }
    };

    view! {
        <h1>{t!(i18n, register_title)}</h1>
        {move || match step.get() {
            Step::Sent { email } => view! { <Sent email=email/> }.into_any(),
            Step::Signing { order_id, device } => view! {
                <BankIdSigning
                    order_id=order_id
                    device=device
                    purpose=BankIdPurpose::Registration
                    on_restart=Callback::new(move |()| step.set(Step::Details))
                />
            }.into_any(),
            _ => view! {
                <p>{t!(i18n, register_intro)}</p>
                <p>{t!(i18n, register_existing)}</p>
                {form}
            }.into_any(),
        }}
    }
}

/// Renders the inputs after "Fortsätt" and the buttons that finish the registration.
fn details(
    citizenship: Citizenship,
    inputs: Inputs,
    errors: FormErrors,
    pending: RwSignal<bool>,
    start_bankid: impl Fn(BankIdDevice) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let names = view! {
        <TextField
            id="register-first-name"
            name="first_name"
            label=t!(i18n, first_name_label)
            value=inputs.first_name
            errors=errors
            autocomplete="given-name"
            required=true
        />
        <TextField
            id="register-last-name"
            name="last_name"
            label=t!(i18n, last_name_label)
            value=inputs.last_name
            errors=errors
            autocomplete="family-name"
            required=true
        />
    };
    let mobile = mobile_field(inputs, errors);

    match citizenship {
        Citizenship::Other => view! {
            <TextField
                id="register-birth-date"
                name="birth_date"
                label=t!(i18n, birth_date_label)
                hint=t!(i18n, birth_date_hint)
                value=inputs.birth_date
                errors=errors
                input_type="date"
                autocomplete="bday"
                required=true
            />
            {names}
            {mobile}
            <button type="submit" disabled=move || pending.get()>
                {t!(i18n, create_user_button)}
            </button>
        }
        .into_any(),
        Citizenship::Swedish => view! {
            {names}
            <TextField
                id="register-email"
                name="email"
                label=t!(i18n, email_label)
                value=inputs.email
                errors=errors
                input_type="email"
                autocomplete="email"
                required=true
            />
            {mobile}
            <h2>{t!(i18n, bankid_heading)}</h2>
            <BankIdDeviceButtons disabled=pending on_start=Callback::new(start_bankid)/>
        }
        .into_any(),
    }
}

/// Renders the optional mobile number with a calling code in front, Sweden's by default.
fn mobile_field(inputs: Inputs, errors: FormErrors) -> impl IntoView {
    let i18n = use_i18n();
    let message = move || errors.field("mobile");
    view! {
        <div class="field" class:field-invalid=move || message().is_some()>
            <label for="register-mobile">
                {t!(i18n, mobile_label)}
                <span class="optional">" (" {t!(i18n, optional_field)} ")"</span>
            </label>
            <div class="phone">
                <label for="register-country-code" class="visually-hidden">
                    {t!(i18n, country_code_label)}
                </label>
                <select id="register-country-code" bind:value=inputs.country_code>
                    {COUNTRY_CODES.iter().map(|(code, country)| view! {
                        <option value=*code>{format!("{code} ({country})")}</option>
                    }).collect_view()}
                </select>
                <input
                    id="register-mobile"
                    name="mobile"
                    type="tel"
                    autocomplete="tel-national"
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=move || message().map(|_| "register-mobile-error")
                    bind:value=inputs.mobile
                />
            </div>
            {move || message().map(|text| view! {
                <p class="field-error" id="register-mobile-error">{text}</p>
            })}
        </div>
    }
}

/// Renders the page after an other-citizenship registration, when the first password is
/// on its way.
#[component]
fn Sent(email: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-live="polite">
            <h2>{t!(i18n, registration_sent_title)}</h2>
            <p>{t!(i18n, registration_sent_text, email)}</p>
            <p>{t!(i18n, spam_folder_hint)}</p>
            <A href="/logga-in" attr:class="button">{t!(i18n, go_to_login)}</A>
        </section>
    }
}
