//! IncertOnline web app: registration, login and Min Sida, rendered in the browser with
//! Leptos. Every request goes through the `incert-client` crate.

mod app;
mod components;
mod i18n;
mod pages;
mod state;

fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(app::App);
}
