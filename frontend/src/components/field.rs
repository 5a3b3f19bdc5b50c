//! A labelled input with its hint and its error, tied together for screen readers.

use leptos::prelude::*;

use crate::i18n::{t, use_i18n};
use crate::state::errors::FormErrors;

/// An error that a form shows once for a group of inputs, such as the inputs of a fieldset.
#[derive(Debug, Clone, Copy)]
pub struct GroupError {
    /// Id of the element that shows the error.
    pub id: &'static str,
    /// Whether the page shows the error.
    pub visible: Signal<bool>,
}

/// Renders a labelled text input bound to `value`.
///
/// `name` is the field's name in the API request, so the field shows the errors the API
/// reports for it. The input's `aria-describedby` lists the hint, the error and the
/// `group_error` while it is visible. `label` and `hint` are views such as
/// `t!(i18n, email_label)`, so that they follow language switches.
#[component]
pub fn TextField(
    id: &'static str,
    name: &'static str,
    #[prop(into)] label: ViewFn,
    value: RwSignal<String>,
    errors: FormErrors,
    #[prop(optional, into)] hint: Option<ViewFn>,
    #[prop(default = "text")] input_type: &'static str,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] required: bool,
    /// An error found in the browser, shown when the API reported none for the field.
    #[prop(optional, into)]
    local_error: Option<Signal<Option<&'static str>>>,
    /// An error of a group that this input belongs to, which marks the input invalid too.
    #[prop(optional)]
    group_error: Option<GroupError>,
) -> impl IntoView {
    let i18n = use_i18n();
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let has_hint = hint.is_some();

    let message = move || {
        errors
            .field(name)
            .or_else(|| local_error.and_then(|error| error.get()).map(str::to_owned))
    };
    let group_error_visible = move || group_error.is_some_and(|group| group.visible.get());
    let invalid = move || message().is_some() || group_error_visible();
    let described_by = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if message().is_some() {
                ids.push(error_id.clone());
            }
            if let Some(group) = group_error.filter(|_| group_error_visible()) {
                ids.push(group.id.to_owned());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };

    view! {
        <div class="field" class:field-invalid=invalid>
            <label for=id>
                {move || label.run()}
                {required.then(|| view! {
                    <span class="required" aria-hidden="true">" *"</span>
                })}
                {(!required).then(|| view! {
                    <span class="optional">" (" {t!(i18n, optional_field)} ")"</span>
                })}
            </label>
            {hint.map(|hint| view! {
                <p class="hint" id=hint_id.clone()>{move || hint.run()}</p>
            })}
            <input
                id=id
                name=name
                type=input_type
                autocomplete=autocomplete
                inputmode=inputmode
                required=required
                aria-invalid=move || invalid().then_some("true")
                aria-describedby=described_by
                bind:value=value
            />
            {move || message().map(|text| view! {
                <p class="field-error" id=error_id.clone()>{text}</p>
            })}
        </div>
    }
}
