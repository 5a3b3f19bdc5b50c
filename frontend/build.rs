//! Rebuilds the app when a locale file changes. `leptos_i18n::load_locales!` reads them at
//! compile time, and cargo does not watch files that only a macro reads.

fn main() {
    println!("cargo::rerun-if-changed=locales");
}
