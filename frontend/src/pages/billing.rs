//! The billing details: invoice by email or by post, and the postal address.

use incert_client::contract::account::{Billing, PostalAddress};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;

use crate::components::field::GroupError;
use crate::components::loaded::loaded;
use crate::components::{SaveOrCancel, TextField};
use crate::i18n::{t, use_i18n};
use crate::language::I18n;
use crate::state::errors::FormErrors;
use crate::state::session::use_session;

/// API names of the billing inputs; the address fields are nested under `address`.
const FIELDS: &[&str] = &[
    "billing_email",
    "address",
    "address.organisation_name",
    "address.organisation_number",
    "address.reference",
    "address.street",
    "address.postal_code",
    "address.city",
    "address.country",
];

#[derive(Debug, Clone, Copy)]
struct AddressInputs {
    organisation_name: RwSignal<String>,
    organisation_number: RwSignal<String>,
    reference: RwSignal<String>,
    street: RwSignal<String>,
    postal_code: RwSignal<String>,
    city: RwSignal<String>,
    country: RwSignal<String>,
}

impl AddressInputs {
    fn new() -> Self {
        Self {
            organisation_name: RwSignal::new(String::new()),
            organisation_number: RwSignal::new(String::new()),
            reference: RwSignal::new(String::new()),
            street: RwSignal::new(String::new()),
            postal_code: RwSignal::new(String::new()),
            city: RwSignal::new(String::new()),
            country: RwSignal::new("SE".to_owned()),
        }
    }

    fn fill(&self, address: PostalAddress) {
        self.organisation_name
            .set(address.organisation_name.unwrap_or_default());
        self.organisation_number
            .set(address.organisation_number.unwrap_or_default());
        self.reference.set(address.reference.unwrap_or_default());
        self.street.set(address.street);
        self.postal_code.set(address.postal_code);
        self.city.set(address.city);
        self.country
            .set(address.country.unwrap_or_else(|| "SE".to_owned()));
    }

    /// Returns the address, or `None` when street, postal code and city are all empty.
    fn read(&self) -> Option<PostalAddress> {
        let optional = |value: RwSignal<String>| {
            let text = value.get_untracked().trim().to_owned();
            (!text.is_empty()).then_some(text)
        };
        let street = self.street.get_untracked();
        let postal_code = self.postal_code.get_untracked();
        let city = self.city.get_untracked();
        if [&street, &postal_code, &city]
            .iter()
            .all(|value| value.trim().is_empty())
        {
            return None;
        }
        Some(PostalAddress {
            organisation_name: optional(self.organisation_name),
            organisation_number: optional(self.organisation_number),
            reference: optional(self.reference),
            street,
            postal_code,
            city,
            country: optional(self.country),
        })
    }
}

/// Id of the message that concerns the billing address as a whole, such as a missing address
/// when invoices go by post.
const ADDRESS_ERROR_ID: &str = "billing-address-error";

#[component]
pub fn EditBilling() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let errors = FormErrors::new(i18n, FIELDS, |_| None);
    let invoice_by_email = RwSignal::new(false);
    let billing_email = RwSignal::new(String::new());
    let address = AddressInputs::new();
    let pending = RwSignal::new(false);
    let saved = RwSignal::new(false);

    // The form is shown only once the stored details have filled it, so nothing that the
    // person types can be replaced by a late response.
    let stored = LocalResource::new(move || async move {
        let billing = session
            .call(|client| async move { client.billing().await })
            .await?;
        invoice_by_email.set(billing.invoice_by_email);
        billing_email.set(billing.billing_email.unwrap_or_default());
        if let Some(postal) = billing.address {
            address.fill(postal);
        }
        Ok(())
    });

    let send = move || {
        let email = billing_email.get_untracked().trim().to_owned();
        let billing = Billing {
            invoice_by_email: invoice_by_email.get_untracked(),
            billing_email: (!email.is_empty()).then_some(email),
            address: address.read(),
        };
        pending.set(true);
        spawn_local(async move {
            let result = session
                .call(|client| {
                    let billing = billing.clone();
                    async move { client.replace_billing(&billing).await }
                })
                .await;
            if errors.record(result).is_some() {
                saved.set(true);
            }
            pending.set(false);
        });
    };
    let on_submit = move |event: SubmitEvent| {
        event.prevent_default();
        send();
    };

    let form = move |()| {
        view! {
            <form class="form" on:submit=on_submit novalidate>
                <label class="checkbox">
                    <input type="checkbox" bind:checked=invoice_by_email/>
                    {t!(i18n, invoice_by_email_label)}
                </label>
                <TextField
                    id="billing-email"
                    name="billing_email"
                    label=t!(i18n, billing_email_label)
                    value=billing_email
                    errors=errors
                    input_type="email"
                    autocomplete="email"
                />
                {address_fieldset(i18n, address, errors)}
                <SaveOrCancel errors=errors pending=pending on_retry=Callback::new(move |()| send())/>
            </form>
        }
    };

    view! {
        {move || saved.get().then(|| view! { <Redirect path="/min-sida"/> })}
        <h1>{t!(i18n, edit_billing)}</h1>
        {loaded(stored, form)}
    }
}

/// Renders the postal address inputs, with the message about the address as a whole.
fn address_fieldset(i18n: I18n, address: AddressInputs, errors: FormErrors) -> impl IntoView {
    // The message about a missing address concerns street, postal code and city, because
    // the form sends no address when all three are empty.
    let address_error = GroupError {
        id: ADDRESS_ERROR_ID,
        visible: Signal::derive(move || errors.field("address").is_some()),
    };
    view! {
        <fieldset>
            <legend>{t!(i18n, billing_address_legend)}</legend>
            {move || errors.field("address").map(|text| view! {
                <p class="field-error" id=ADDRESS_ERROR_ID>{text}</p>
            })}
            <TextField id="billing-organisation-name" name="address.organisation_name"
                label=t!(i18n, organisation_name_label) value=address.organisation_name errors=errors
                autocomplete="organization"/>
            <TextField id="billing-organisation-number" name="address.organisation_number"
                label=t!(i18n, organisation_number_label) value=address.organisation_number errors=errors/>
            <TextField id="billing-reference" name="address.reference"
                label=t!(i18n, reference_label) value=address.reference errors=errors/>
            <TextField id="billing-street" name="address.street"
                label=t!(i18n, street_label) value=address.street errors=errors
                autocomplete="street-address" group_error=address_error/>
            <TextField id="billing-postal-code" name="address.postal_code"
                label=t!(i18n, postal_code_label) value=address.postal_code errors=errors
                autocomplete="postal-code" group_error=address_error/>
            <TextField id="billing-city" name="address.city"
                label=t!(i18n, city_label) value=address.city errors=errors
                autocomplete="address-level2" group_error=address_error/>
            <TextField id="billing-country" name="address.country"
                label=t!(i18n, country_label) value=address.country errors=errors
                autocomplete="country"/>
        </fieldset>
    }
}
