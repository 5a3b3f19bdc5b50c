//! The root component: shared state, the page frame and the routes.

use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Route, Router, Routes};
use leptos_router::path;

use crate::components::RequireSession;
use crate::components::layout::Layout;
use crate::i18n::{t, use_i18n};
use crate::language::provide_language;
use crate::pages::{
    apply::Apply, billing::EditBilling, details::EditDetails, email::ChangeEmail, login::Login,
    my_page::MyPage, password::ChangePassword, password::PasswordChanged, register::Register,
    reset::ForgotPassword, start::Start,
};
use crate::state::session::Session;

/// Provides the language and the session, restores a session from the refresh cookie and
/// routes to the pages.
#[component]
pub fn App() -> impl IntoView {
    let i18n = provide_language();
    let session = Session::provide(i18n);
    spawn_local(async move { session.restore().await });

    view! {
        <Router>
            <Layout>
                <Routes fallback=NotFound>
                    <Route path=path!("/") view=Start/>
                    <Route path=path!("/registrera") view=Register/>
                    <Route path=path!("/logga-in") view=Login/>
                    <Route path=path!("/glomt-losenord") view=ForgotPassword/>
                    <Route
                        path=path!("/andra-losenord")
                        view=|| view! {
                            <RequireSession allow_password_change=true>
                                <ChangePassword/>
                            </RequireSession>
                        }
                    />
                    <Route
                        path=path!("/andra-losenord/klart")
                        view=|| view! { <RequireSession><PasswordChanged/></RequireSession> }
                    />
                    <Route
                        path=path!("/min-sida")
                        view=|| view! { <RequireSession><MyPage/></RequireSession> }
                    />
                    <Route
                        path=path!("/min-sida/uppgifter")
                        view=|| view! { <RequireSession><EditDetails/></RequireSession> }
                    />
                    <Route
                        path=path!("/min-sida/e-post")
                        view=|| view! { <RequireSession><ChangeEmail/></RequireSession> }
                    />
                    <Route
                        path=path!("/min-sida/fakturering")
                        view=|| view! { <RequireSession><EditBilling/></RequireSession> }
                    />
                    <Route
                        path=path!("/min-sida/ansok")
                        view=|| view! { <RequireSession><Apply/></RequireSession> }
                    />
                </Routes>
            </Layout>
        </Router>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <h1>{t!(i18n, not_found_title)}</h1>
        <p>{t!(i18n, not_found_text)}</p>
    }
}
