//! IncertOnline web app: registration, login and Min Sida, rendered in the browser with
//! Leptos. Every request goes through the `incert-client` crate. The `incert-web` binary
//! mounts [`app::App`]; the component tests in `tests/` mount single components.

// Generates the `i18n` module from `locales/*.json`: the `Locale` enum, `use_i18n` and the
// `t!`/`td!` macros. It reads its settings from `[package.metadata.leptos-i18n]` in
// Cargo.toml. leptos_i18n 0.6 deprecates the macro in favour of code generation in a build
// script through `leptos_i18n_build`, which would add about 110 crates to every cold build,
// ICU's data exporter among them. The macro offers no `interpolate_display` option, so
// `t_string!` cannot fill in `{{ placeholders }}`; views use `t!` for those texts.
#[expect(deprecated, reason = "load_locales! avoids the ICU build dependencies")]
mod generated {
    leptos_i18n::load_locales!();
}

pub mod app;
pub mod components;
pub mod language;
pub mod pages;
pub mod state;

pub use generated::i18n;
