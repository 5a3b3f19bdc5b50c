//! Access to pages that need a signed-in person.

use leptos::prelude::*;
use leptos_router::components::Redirect;

use crate::i18n::{t, use_i18n};
use crate::state::session::use_session;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    Waiting,
    ToLogin,
    ToPasswordChange,
    Granted,
}

/// Shows `children` to a signed-in person. A visitor goes to the login page, and a person who
/// still has the first-time password goes to the password change, unless
/// `allow_password_change` is set.
#[component]
pub fn RequireSession(
    children: ChildrenFn,
    #[prop(optional)] allow_password_change: bool,
) -> impl IntoView {
    let session = use_session();
    let i18n = use_i18n();
    // A memo, so that a token renewal that keeps the decision keeps the page and its state.
    let access = Memo::new(move |_| {
        if session.restoring.get() {
            Access::Waiting
        } else if !session.is_signed_in() {
            Access::ToLogin
        } else if session.must_change_password() && !allow_password_change {
            Access::ToPasswordChange
        } else {
            Access::Granted
        }
    });
    move || match access.get() {
        Access::Waiting => view! { <p class="loading">{t!(i18n, loading)}</p> }.into_any(),
        Access::ToLogin => view! { <Redirect path="/logga-in"/> }.into_any(),
        Access::ToPasswordChange => view! { <Redirect path="/andra-losenord"/> }.into_any(),
        Access::Granted => children().into_any(),
    }
}
