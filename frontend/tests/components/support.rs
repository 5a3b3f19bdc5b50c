//! Mounting components and reading the DOM in the tests.

use std::time::Duration;

use leptos::mount::mount_to;
use leptos::prelude::*;
use leptos::tachys::view::Mountable;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{Element, HtmlElement, HtmlInputElement};

use incert_web::language::STORAGE_KEY;

/// How long [`wait_until`] waits for the DOM to reach a state.
const WAIT_LIMIT: Duration = Duration::from_secs(3);

/// A component mounted into its own `<div>` of the test page. Dropping it unmounts the
/// component and removes the `<div>`.
pub struct Mounted<M: Mountable> {
    pub root: HtmlElement,
    _handle: UnmountHandle<M>,
}

impl<M: Mountable> Mounted<M> {
    /// Returns the first element under the root that matches `selector`, and fails the test
    /// when there is none.
    pub fn find(&self, selector: &str) -> Element {
        self.try_find(selector)
            .unwrap_or_else(|| panic!("no element matches {selector:?}"))
    }

    /// Returns the first element under the root that matches `selector`.
    pub fn try_find(&self, selector: &str) -> Option<Element> {
        self.root.query_selector(selector).ok().flatten()
    }

    /// Returns the text content of every element under the root that matches `selector`.
    pub fn texts(&self, selector: &str) -> Vec<String> {
        let nodes = self
            .root
            .query_selector_all(selector)
            .expect("valid selector");
        (0..nodes.length())
            .filter_map(|index| nodes.item(index))
            .map(|node| node.text_content().unwrap_or_default())
            .collect()
    }

    /// Returns the text content of the first element that matches `selector`.
    pub fn text(&self, selector: &str) -> String {
        self.find(selector).text_content().unwrap_or_default()
    }

    /// Clicks the first element that matches `selector`.
    pub fn click(&self, selector: &str) {
        self.find(selector)
            .dyn_into::<HtmlElement>()
            .expect("an HTML element")
            .click();
    }
}

impl<M: Mountable> Drop for Mounted<M> {
    fn drop(&mut self) {
        self.root.remove();
    }
}

/// Mounts the view that `render` returns into a new `<div>` at the end of the page's body.
pub fn mount<F, N>(render: F) -> Mounted<N::State>
where
    F: FnOnce() -> N + 'static,
    N: IntoView,
{
    let document = document();
    let root = document
        .create_element("div")
        .expect("a new div")
        .dyn_into::<HtmlElement>()
        .expect("an HTML element");
    document
        .body()
        .expect("a body")
        .append_child(&root)
        .expect("the div in the body");
    let handle = mount_to(root.clone(), render);
    Mounted {
        root,
        _handle: handle,
    }
}

/// Returns the current value of the input that `selector` finds.
pub fn input_value<M: Mountable>(mounted: &Mounted<M>, selector: &str) -> String {
    mounted
        .find(selector)
        .unchecked_into::<HtmlInputElement>()
        .value()
}

/// Waits until `condition` is true, and fails the test with `what` when it does not within
/// [`WAIT_LIMIT`]. Signals update the DOM and run effects after the current task, and the
/// components under test also wait for timers and fetches.
pub async fn wait_until(what: &str, condition: impl Fn() -> bool) {
    let start = js_sys::Date::now();
    while !condition() {
        if js_sys::Date::now() - start > WAIT_LIMIT.as_millis() as f64 {
            panic!("timed out waiting until {what}");
        }
        sleep(Duration::from_millis(10)).await;
    }
}

/// Waits until `mounted` shows that its data failed to load with a server error, and checks
/// that it offers a retry in place of the form.
pub async fn expect_failed_load<M: Mountable>(mounted: &Mounted<M>) {
    wait_until("the failure is shown", || {
        mounted.try_find("[role=alert] p").is_some()
    })
    .await;
    assert_eq!(
        mounted.text("[role=alert] p"),
        "Ett fel uppstod hos IncertOnline. Försök igen om en stund."
    );
    assert!(mounted.try_find("form").is_none());
    assert!(mounted.try_find("input").is_none());
    assert!(mounted.try_find("[role=alert] button").is_some());
}

/// Waits for `duration` on a browser timer.
pub async fn sleep(duration: Duration) {
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let _ = window().set_timeout_with_callback_and_timeout_and_arguments_0(
            &resolve,
            duration.as_millis() as i32,
        );
    });
    let _ = JsFuture::from(promise).await;
}

/// Returns the `lang` attribute of the page's `<html>` element.
pub fn html_lang() -> Option<String> {
    document().document_element()?.get_attribute("lang")
}

/// Returns the language that `localStorage` stores for the app.
pub fn stored_language() -> Option<String> {
    local_storage().get_item(STORAGE_KEY).ok().flatten()
}

/// Stores `tag` as the app's language, or removes the stored language for `None`, and
/// removes `<html lang>`, so that a test can wait for the app to set it.
pub fn set_stored_language(tag: Option<&str>) {
    let storage = local_storage();
    match tag {
        Some(tag) => storage.set_item(STORAGE_KEY, tag).expect("localStorage"),
        None => storage.remove_item(STORAGE_KEY).expect("localStorage"),
    }
    document()
        .document_element()
        .expect("an html element")
        .remove_attribute("lang")
        .expect("lang attribute removed");
}

/// Waits until the app has set `<html lang>`. The effects that leptos_i18n and the app create
/// with the language state have then run, and a switch of the language stays in effect.
pub async fn wait_for_language_effects() {
    wait_until("<html lang> is set", || html_lang().is_some()).await;
}

fn local_storage() -> web_sys::Storage {
    window()
        .local_storage()
        .ok()
        .flatten()
        .expect("localStorage")
}
